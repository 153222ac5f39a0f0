"""An article's facts from every origin, put together: its front matter, its page, its text, the manifest, the analyst.

:mod:`tui.core.facts` holds what a fact is and reads the origins that need
no cleaner (front matter, a page's metadata); :mod:`tui.core.facts_text`
reads the cleaner's lines; :mod:`tui.core.manifest` the corpus's manifest;
the analyst's edits are kept in the notes folder. This module merges them
in their order of precedence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tui.core.facts import Facts, analyst_facts, front_matter_facts, html_facts, merge_facts
from tui.core.facts_text import text_facts

if TYPE_CHECKING:
    from tui.core.clean import Line


def extract_facts(
    text: str, html_metadata: Mapping[str, str], lines: Sequence[Line], language: str | None = None
) -> Facts:
    """Everything an article says about itself: its front matter, its page's metadata, its text.

    ``text`` is the article's decoded text (``Article.text``),
    ``html_metadata`` its page's metadata (``Article.metadata``), ``lines``
    the cleaner's lines (``Cleaned.lines``) and ``language`` the language the
    cleaner identified (``Cleaned.language``). Manifest rows and the
    analyst's edits are merged on top with :func:`~tui.core.facts.merge_facts`.
    """
    return merge_facts(front_matter_facts(text), html_facts(html_metadata), text_facts(lines, language))


def facts_for(
    text: str,
    html_metadata: Mapping[str, str],
    lines: Sequence[Line],
    language: str | None = None,
    *,
    manifest: Facts | None = None,
    analyst: Mapping[str, str] | None = None,
) -> Facts:
    """An article's facts from every origin: :func:`extract_facts`, then its manifest row and the analyst's edits."""
    layers = [extract_facts(text, html_metadata, lines, language)]
    if manifest is not None:
        layers.append(manifest)
    if analyst:
        layers.append(analyst_facts(analyst))
    return merge_facts(*layers)
