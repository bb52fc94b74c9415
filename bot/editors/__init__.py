"""Tools for content editors: the full check, coverage, and marking translations up to date."""
