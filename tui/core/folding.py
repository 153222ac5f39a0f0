"""Text folded the way search and the list's filter compare it: lower case, no accents, one character for one.

Kept apart from the search index so the article list (drawn in the first
frame) can fold its filter without loading the index.
"""

from __future__ import annotations

import unicodedata
from functools import cache

# Scripts whose accented letters are one code point for a base letter and marks:
# Latin (with its extensions), Greek, Cyrillic.
_ACCENTED_RANGES = ((0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1FFF))
# Arabic letters written several ways that readers and keyboards treat as one:
# the hamza and madda forms of alef, alef maqsura and yeh, teh marbuta and heh.
_ARABIC = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}


@cache  # built on the first text that is not ASCII, not when the list is drawn
def _fold_table() -> dict[int, str]:
    """What ``fold`` maps after lower-casing, one character to one.

    str.lower() maps every character to exactly one except "İ" (to "i" and a
    combining dot), which ``fold`` replaces first. The table then merges what
    an analyst typing on another keyboard cannot tell apart: an accented
    letter and its base (ş and s, é and e, ё and е, ά and α), dotless ı and i
    (so "kirikkale" finds "Kırıkkale"), final sigma (lower() picks σ or ς by
    position in the word), and the Arabic spellings above. Letters that are
    not a base plus marks (ß, ø, æ) are left alone.
    """
    table = {ord("ı"): "i", ord("ς"): "σ", **{ord(k): v for k, v in _ARABIC.items()}}
    for low, high in _ACCENTED_RANGES:
        for code in range(low, high + 1):
            lower = chr(code).lower()
            parts = unicodedata.normalize("NFD", lower)
            base = parts[:1]
            if len(lower) == 1 and len(parts) > 1 and base.isalpha() and all(map(unicodedata.combining, parts[1:])):
                table.setdefault(ord(lower), base)
    return table



def fold(text: str) -> str:
    """``text`` in lower case and without accents, one character for one, as search compares it.

    "istanbul" finds "İstanbul", "isik" finds "IŞIK", "провел" finds
    "провёл", "cafe" finds "café". Nothing expands ("strasse" does not
    find "Straße"): the folded text must keep the offsets of the original.
    """
    if text.isascii():
        return text.lower()
    return text.replace("İ", "i").lower().translate(_fold_table())
