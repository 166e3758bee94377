"""Usage & limits: the page script and its private parts (history, simulator, the cleanup wizard)."""
