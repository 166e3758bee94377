"""Widgets and session helpers every page shares (no page scripts here)."""
