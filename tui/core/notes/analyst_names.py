"""Analyst names: what may name an analyst (a name becomes a folder), and the name of annotations that carry none.

A name is 1 to 64 characters, with no path separator, not ``.`` or ``..``,
no control character, no leading dot or dash. Annotations made before
Dossier recorded analysts, or with none set, read as :data:`DEFAULT_ANALYST`.
Kept apart from ``analysts.py`` (which writes files) so that ``files.py``
checks names without an import cycle.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from typing import Any

#: The analyst of annotations that name none (made before analysts were recorded, or with none set).
DEFAULT_ANALYST = "unattributed"
#: The longest analyst name (it becomes a folder name).
MAX_NAME = 64


class AnalystError(ValueError):
    """An analyst name that cannot be used; the message is one line."""


def check_analyst(name: str) -> str:
    """The name, stripped, if it can name an analyst (and their folder); AnalystError saying why not."""
    name = name.strip()
    shown = json.dumps(name, ensure_ascii=True)
    if not name:
        raise AnalystError("an analyst's name cannot be empty")
    if len(name) > MAX_NAME:
        raise AnalystError(f"analyst name {shown[:40]}…: longer than {MAX_NAME} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name):
        raise AnalystError(f"analyst name {shown}: holds a control character")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise AnalystError(f"analyst name {shown}: holds a path separator or is . or .. (names become folder names)")
    if name[0] in ".-":
        raise AnalystError(f"analyst name {shown}: cannot start with . or - (names become folder names)")
    return name


def is_analyst(name: object) -> bool:
    """Whether `name` is a usable analyst name as it stands (asked of every annotation read: remembered per name)."""
    return isinstance(name, str) and _usable(name)


@functools.lru_cache(maxsize=1024)
def _usable(name: str) -> bool:
    """Whether the string `name` is a usable analyst name as it stands (a team has a handful: 100,000 checks were 2 s)."""
    try:
        return check_analyst(name) == name
    except AnalystError:
        return False


def analyst_of(doc: dict[str, Any]) -> str:
    """The analyst a stored annotation document names, or the default one if it names none."""
    name = doc.get("analyst")
    return name if isinstance(name, str) and name else DEFAULT_ANALYST
