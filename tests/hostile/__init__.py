"""Hostile inputs of issue #12: one module per class of failure, each kept fixed by its tests."""
