"""REFI-QDA project exchange (``.qdpx``): Dossier's notes to and from NVivo, ATLAS.ti, MAXQDA, QualCoder.

:mod:`.codes` the codebook (tags as ``<Code>``\\ s and back, for a ``.qdc`` file too), :mod:`.write` the
project Dossier writes, :mod:`.archive` reading a project file someone else
wrote (a hostile zip and XML until checked), :mod:`.read` its XML as plain
data, :mod:`.place` that data placed on a corpus's articles as annotations.
"""
