"""The corpus cache: what Dossier derives from a corpus, kept on disk in SQLite between runs.

Nothing here is the analyst's work (annotations live in the notes, in
TinyDB): every row can be derived again from the corpus and the notes, so
the cache can be deleted at any time, and a damaged one is rebuilt.
"""
