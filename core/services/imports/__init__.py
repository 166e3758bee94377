"""CSV imports (docs/domain.md §9): parsing rows, folding them in file order, writing them, and the preview."""
