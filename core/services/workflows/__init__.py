"""Workflows (docs/domain.md §6.3): definitions, dry runs, the engine that runs them, its attempts and its log."""
