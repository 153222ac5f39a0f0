"""Who coded an annotation: analyst names, which one is at work, and what a notes folder keeps for this machine only.

An analyst's name becomes a folder (``analysts/NAME/``), so it is checked
like one: 1 to 64 characters, no path separator, not ``.`` or ``..``, no
control character, no leading dot or dash, nothing outside Unicode text.

The analyst at work is, in this order: ``--analyst NAME``, the environment
variable ``DOSSIER_ANALYST``, the notes folder's remembered default (the
last name given to a writer on this machine), else none: the reader then
asks once, and the commands use :data:`DEFAULT_ANALYST`.

Annotations made before Dossier recorded analysts carry no name; they read
as :data:`DEFAULT_ANALYST` (``unattributed``), and so do those made with no
analyst set.

``local.json`` holds what belongs to this machine and not to the team (the
remembered analyst, the corpus last used): two clones of one repository
would otherwise fight over it. It is listed in the ``.gitignore`` Dossier
writes in the notes folder, with the lock and the temporary files.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .analyst_names import DEFAULT_ANALYST, AnalystError, check_analyst, is_analyst
from .files import atomic_write, describe

__all__ = ["DEFAULT_ANALYST", "AnalystError", "check_analyst", "current_analyst", "is_analyst", "remember", "write_gitignore"]

#: The environment variable that names the analyst at work.
ANALYST_ENV = "DOSSIER_ANALYST"
#: This machine's own state in a notes folder (never shared through git).
LOCAL_FILE = "local.json"
#: What Dossier's .gitignore in a notes folder keeps out of git: the lock, this machine's state, unfinished writes.
GITIGNORE = "# written by Dossier: what belongs to this machine, not to the team\n.lock\n.lock.owner\nlocal.json\n.*.tmp\n.*.staged\n"


def read_local(folder: Path) -> dict[str, Any]:
    """This machine's state in a notes folder ({} if there is none or it cannot be read: it only saves asking)."""
    try:
        data = json.loads((folder / LOCAL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_local(folder: Path, **values: str) -> None:
    """Record values in this machine's state of a notes folder (atomic; a failure says why in one line)."""
    data = read_local(folder)
    if all(data.get(k) == v for k, v in values.items()):
        return
    data.update(values)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / LOCAL_FILE, (json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode())
    except OSError as exc:
        raise AnalystError(f"{folder / LOCAL_FILE}: cannot be written: {describe(exc)}") from exc


def remembered(folder: Path) -> str | None:
    """The analyst this machine last worked as in this notes folder, if a usable one is recorded."""
    name = read_local(folder).get("analyst")
    return name if is_analyst(name) else None


def current_analyst(given: str | None, folder: Path) -> str | None:
    """The analyst at work: `given` (``--analyst``), else ``$DOSSIER_ANALYST``, else the folder's remembered one, else None.

    A given or environment name is checked (AnalystError naming where it came from).
    """
    for name, origin in ((given, "--analyst"), (os.environ.get(ANALYST_ENV), ANALYST_ENV)):
        if name is not None and name != "":
            try:
                return check_analyst(name)
            except AnalystError as error:
                raise AnalystError(f"{origin}: {error}") from None
    return remembered(folder)


def remember(folder: Path, name: str) -> None:
    """Make `name` this machine's default analyst for the notes folder (nothing is written if it already is)."""
    with contextlib.suppress(AnalystError):  # only saves asking next time; a read-only folder must not stop the work
        write_local(folder, analyst=check_analyst(name))


def write_gitignore(folder: Path) -> None:
    """Write the notes folder's .gitignore unless it has one (the user's own is never changed)."""
    path = folder / ".gitignore"
    if not path.exists() and not path.is_symlink():
        with contextlib.suppress(OSError):  # git is optional; a notes folder that cannot take it still works
            atomic_write(path, GITIGNORE.encode())
