"""Giving the memory a long article's cleaning freed back to the system.

Cleaning a 50 MB article builds and frees a few hundred megabytes of line
strings and line features. Strings longer than Python's small-object limit
come from the C library's heap, which keeps freed memory mapped unless it
sits at the heap's top: the reader stayed 130 MB larger than what it held.
glibc's ``malloc_trim`` returns those free pages; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
from functools import cache

#: Texts shorter than this free too little to be worth a trim (it walks the whole heap).
WORTH_IT = 4_000_000


@cache
def _trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)  # the process's own symbols: glibc's, where it is glibc
    except (OSError, TypeError):  # no C library to ask (TypeError: Windows wants a name)
        return None


def give_back(chars: int) -> None:
    """After cleaning a text of ``chars`` characters: return the freed heap to the system, if it is worth it."""
    if chars >= WORTH_IT and (trim := _trim()) is not None:
        trim(0)
