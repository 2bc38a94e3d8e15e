"""Speed scripts that print their figures (see README)."""
