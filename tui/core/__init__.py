"""Dossier's domain: corpus reading, cleaning, passages, annotations, export.

Plain Python with no Textual import anywhere below here, so every rule can
be tested and scripted without a terminal.
"""
