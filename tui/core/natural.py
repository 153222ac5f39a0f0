"""The list's natural order of article paths: ``2.txt`` before ``10.txt``, case folded."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")
_ONE_NUMBER = re.compile(r"(\D*)(\d+)(\D*)")


def natural_key(rel: str) -> str:
    """Sort key that orders ``2.txt`` before ``10.txt`` (the list's order), case folded.

    One string, so a sort compares in C: as a list of words and numbers the
    key made sorting 100,000 names half a second of a cold start. Parts are
    joined by NUL (no path holds one, and it sorts before any character, as
    a shorter part sorts first); a number is its value's ASCII digits after
    one character that is their count (fewer digits, smaller).
    """
    folded = rel.casefold()
    one = _ONE_NUMBER.fullmatch(folded)
    if one is not None:  # most names hold one number (an id, a date's digits): the same key, made in half the time
        head, digits, tail = one.groups()
        digits = str(int(digits))
        return f"{head}\0{chr(len(digits))}{digits}\0{tail}"
    parts = _DIGITS.split(folded)  # split with a group: the digits are every other part
    parts[1::2] = [chr(len(digits)) + digits for digits in (str(int(part)) for part in parts[1::2])]  # any script's digits
    return "\0".join(parts)
