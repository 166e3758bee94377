"""Widgets and session helpers every page shares (no page scripts here): session (engine, today, actor, running a
core call), access (the sign-in gate), simulation (Simulate as of), messages (shown once), sidebar, filter_builder."""
