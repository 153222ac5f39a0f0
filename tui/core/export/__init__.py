"""Exports of the notes.

``formats`` (W3C Web Annotation JSON, CSV), ``report`` (the Markdown report)
and ``assemble`` (one export from a store and a corpus, for the command line
and the reader alike).
"""
