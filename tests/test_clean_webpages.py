"""Regression floors on real web pages in many languages (../shared/webpages).

Scored as trafilatura's evaluation and ``bench/clean_eval.py`` do. A small
stratified sample (every fifth page of each language group with ten pages or
more) keeps the test quick; the bench scores all of them.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from tui.core.clean import clean_text

ROOT = Path(__file__).resolve().parent.parent
WEBPAGES = ROOT.parent / "shared" / "webpages"
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def webpages() -> list[tuple[str, str, dict, str]]:
    """``(name, page, snippets, language group)`` per page; skipped where ../shared/webpages is absent."""
    if not (WEBPAGES / "snippets.json").is_file():
        pytest.skip("../shared/webpages is not present on this machine")
    from clean_eval import load_webpages, snippet_group

    return [(name, page, snippets, snippet_group(snippets, page)) for name, page, snippets in load_webpages(WEBPAGES)]


def test_each_large_language_group_stays_above_its_floor(webpages) -> None:
    from clean_eval import prf, snippet_counts

    sizes = Counter(group for *_, group in webpages)
    large = [group for group, n in sizes.items() if n >= 10]
    assert {"de", "en"} <= set(large)
    for group in large:
        sample = [page for page in webpages if page[3] == group][::5]
        counts = sum((snippet_counts(clean_text(page).text, snippets) for _, page, snippets, _ in sample), Counter())
        precision, recall, f1 = prf(counts)
        assert f1 >= 0.75 and recall >= 0.75, f"{group}: P={precision:.3f} R={recall:.3f} F1={f1:.3f} on {len(sample)} pages"


def test_no_page_with_paragraphs_is_reduced_to_its_title_without_a_warning(webpages) -> None:
    from clean_eval import title_only

    silent = []
    for name, page, _, _ in webpages:
        cleaned = clean_text(page)
        if title_only(cleaned, page) and not cleaned.warnings:
            silent.append(name)
    assert silent == []
