"""Where Dossier finds its sample corpus, its stylesheets and the notes folder."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent

#: The environment variable that names the notes folder.
NOTES_ENV = "DOSSIER_NOTES"


def sample_corpus() -> Path:
    """The bundled sample corpus, shipped inside the package."""
    return PACKAGE_DIR / "sample"


def styles_dir() -> Path:
    """The stylesheets: inside the package when installed from a wheel,
    at the top of the repository in a source checkout."""
    installed = PACKAGE_DIR / "styles"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "styles"


def notes_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The notes folder: ``--notes``, else ``$DOSSIER_NOTES``, else ``./notes``."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(NOTES_ENV)
    return Path(from_env) if from_env else Path("notes")
