"""Marketable core: rules, storage and services. Pages and the command line call into here."""
