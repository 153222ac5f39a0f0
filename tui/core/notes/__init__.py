"""The notes folder: annotations, tags and overrides, kept in TinyDB files that survive crashes.

``model`` (what the notes are made of), ``anchor`` (placing quotes on changed
text), ``tags`` (the vocabulary), ``files`` (atomic writes, the lock),
``articles`` (one file per annotated article), ``store`` (the store itself),
``repair`` (migration, doctor, salvage) and ``history`` (undo and redo).

Nothing is imported here: the reader names articles through ``model`` before
TinyDB and rapidfuzz are loaded.
"""
