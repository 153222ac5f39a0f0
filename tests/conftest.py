"""Shared fixtures: the shared corpus (skipped where absent) and the sample."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "tui" / "sample"


@pytest.fixture
def shared_corpus() -> Path:
    """``../shared/corpus``; the test is skipped where it is absent."""
    corpus = SHARED / "corpus"
    if not corpus.is_dir() or not (SHARED / "labels.tsv").is_file():
        pytest.skip("../shared/corpus is not present on this machine")
    return corpus


@pytest.fixture
def sample_corpus() -> Path:
    """The bundled sample corpus."""
    return SAMPLE


@pytest.fixture(autouse=True)
def private_cache_folder(tmp_path_factory, monkeypatch):
    """Every test's corpus cache goes to a folder of its own, never to ~/.cache.

    The cache lives beside the notes when it can; where it cannot (no notes
    folder yet, or one that cannot be written) it falls back to the user's
    cache folder, ``$XDG_CACHE_HOME/dossier``. ``$DOSSIER_CACHE`` (which
    would send every cache elsewhere) is cleared so the rules under test
    are the defaults.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("DOSSIER_CACHE", raising=False)


@pytest.fixture(autouse=True)
def thaw_the_garbage_collector():
    """The reader freezes the collector's view once its corpus is indexed (``gc.freeze``).

    Tests run many readers in one process: thaw after each, so one test's
    frozen objects can be collected and do not pile up over the run.
    """
    yield
    gc.unfreeze()
