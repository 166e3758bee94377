"""Use cases. Each owns its transaction and returns plain data."""
