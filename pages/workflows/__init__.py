"""Workflows: the page script and its private parts (editor and its actions, enabling, running, the log)."""
