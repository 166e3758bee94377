"""Workflow storage: the engine's set-based statements, runs and its own short-lived connections."""
