"""Workflows: the page script and its private parts (editor, enabling, log)."""
