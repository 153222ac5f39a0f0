"""Hostile-input tests: one module per class of failure."""
