"""Agreement between analysts: the units, the coding rule, the figures per tag and pooled, the disagreements."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import passages
from tui.core.agreement import (
    UNKNOWN,
    ArticleCodings,
    Coding,
    analyst_of,
    codings_of,
    document_units,
    measure,
    units_of,
)
from tui.core.corpus import scan_corpus
from tui.core.document import open_document
from tui.core.notes.model import Annotation, ArticleRef, make_target

krippendorff = pytest.importorskip("krippendorff")

UNITS = [(0, 10), (12, 20), (22, 30), (32, 40), (42, 50)]


def test_a_coding_codes_every_unit_it_overlaps_by_one_character() -> None:
    article = ArticleCodings("a.txt", UNITS, [
        Coding("ann", "energy", 9, 13),  # the last character of unit 0, the first of unit 1
        Coding("bob", "energy", 10, 12),  # only the gap between units 0 and 1: codes nothing
        Coding("bob", "energy", 30, 32),  # touches unit 2's end and unit 3's start: codes nothing
        Coding("bob", "energy", 49, 60),  # the last character of unit 4
    ])
    result = measure([article], ["ann", "bob"])
    assert result.tags["energy"].coded == {"ann": 2, "bob": 1}
    assert [(d.start, d.end, d.coded_by) for d in result.disagreements] == [
        (0, 10, ("ann",)), (12, 20, ("ann",)), (42, 50, ("bob",)),
    ]


def test_figures_by_hand() -> None:
    # Ten units; ann codes units 0–3, bob units 2–5 with "energy". Alike on units 2, 3 (both) and 6–9 (neither): 6 of 10.
    # kappa: p_o = 0.6, p_e = 0.4·0.4 + 0.6·0.6 = 0.52, κ = 0.08/0.48 = 1/6.
    # alpha: units 2, 3 add 2 to o₁₁ each (4), units 6–9 add 2 to o₀₀ each (8), units 0, 1, 4, 5 add 1 to o₀₁
    # and o₁₀ each (4 and 4); n₁ = 4 + 4 = 8, n₀ = 8 + 4 = 12, n = 20: α = 1 − 19·4/(8·12) = 20/96.
    units = [(i * 10, i * 10 + 5) for i in range(10)]
    codings = [Coding("ann", "energy", 0, 35), Coding("bob", "energy", 20, 55)]
    figures = measure([ArticleCodings("a", units, codings)], ["ann", "bob"]).tags["energy"]
    assert figures.units == 10 and figures.coded == {"ann": 4, "bob": 4}
    assert figures.agreement == pytest.approx(0.6)
    assert figures.kappa == pytest.approx(1 / 6)
    assert figures.alpha == pytest.approx(20 / 96)


def test_only_articles_the_chosen_analysts_annotated_count() -> None:
    articles = [
        ArticleCodings("ann-only.txt", UNITS, [Coding("ann", "energy", 0, 5)]),
        ArticleCodings("nobody.txt", UNITS, []),
        ArticleCodings("carl-only.txt", UNITS, [Coding("carl", "energy", 0, 5)]),
    ]
    result = measure(articles, ["ann", "bob"])
    assert result.articles == 1 and result.units == 5
    assert result.tags["energy"].coded == {"ann": 1, "bob": 0}  # carl's coding is not counted, nor his article
    three = measure(articles, ["ann", "bob", "carl"])
    assert three.articles == 2 and three.units == 10


def test_three_analysts_have_alpha_but_no_kappa() -> None:
    article = ArticleCodings("a", UNITS, [Coding(name, "energy", 0, 5) for name in ("ann", "bob", "carl")] + [
        Coding("ann", "energy", 12, 14), Coding("bob", "energy", 12, 14),
    ])
    figures = measure([article], ["ann", "bob", "carl"]).tags["energy"]
    assert figures.kappa is None and figures.alpha is not None
    assert figures.agreement == pytest.approx(4 / 5)  # unit 1 is the only one not coded alike by all three


def test_undefined_figures_are_none() -> None:
    # Nobody used "security": no variation. Everyone coded every unit "energy": no variation either.
    everything = [Coding(name, "energy", 0, 50) for name in ("ann", "bob")]
    result = measure([ArticleCodings("a", UNITS, everything)], ["ann", "bob"], tags=["energy", "security"])
    for tag in ("energy", "security"):
        figures = result.tags[tag]
        assert figures.agreement == 1.0 and figures.kappa is None and figures.alpha is None
    assert result.tags["security"].coded == {"ann": 0, "bob": 0}
    assert result.disagreements == []


def test_overall_pools_every_unit_and_tag() -> None:
    codings = [Coding("ann", "energy", 0, 5), Coding("bob", "energy", 0, 5), Coding("ann", "security", 12, 14)]
    result = measure([ArticleCodings("a", UNITS, codings)], ["ann", "bob"])
    assert list(result.tags) == ["energy", "security"]
    assert result.overall.units == 10 and result.overall.coded == {"ann": 2, "bob": 1}
    assert result.overall.agreement == pytest.approx(9 / 10)
    # The pooled table: (yes, yes) 1, (yes, no) 1, (no, no) 8. p_e = 0.2·0.1 + 0.8·0.9 = 0.74; κ = (0.9 − 0.74)/0.26.
    assert result.overall.kappa == pytest.approx(0.16 / 0.26)
    assert result.tags["security"].kappa == pytest.approx(0.0)


def test_json_has_exactly_the_documented_shape() -> None:
    codings = [Coding("ann", "energy", 0, 5), Coding("bob", "energy", 22, 25)]
    payload = measure([ArticleCodings("a.txt", UNITS, codings)], ["ann", "bob"]).to_json("sentence")
    assert set(payload) == {"unit", "analysts", "tags", "disagreements"}
    assert payload["unit"] == "sentence" and payload["analysts"] == ["ann", "bob"]
    assert set(payload["tags"]["energy"]) == {"units", "coded", "agreement", "kappa", "alpha"}
    assert payload["tags"]["energy"]["coded"] == {"ann": 1, "bob": 1}
    assert payload["disagreements"] == [
        {"article": "a.txt", "start": 0, "end": 10, "tag": "energy", "coded_by": ["ann"]},
        {"article": "a.txt", "start": 22, "end": 30, "tag": "energy", "coded_by": ["bob"]},
    ]


def test_disagreements_come_by_article_then_offset_then_tag() -> None:
    first = ArticleCodings("b.txt", UNITS, [Coding("ann", "z", 42, 43), Coding("ann", "a", 42, 43), Coding("bob", "a", 0, 1)])
    second = ArticleCodings("a.txt", UNITS, [Coding("bob", "a", 12, 13)])
    result = measure([first, second], ["ann", "bob"])
    assert [(d.article, d.start, d.tag) for d in result.disagreements] == [
        ("b.txt", 0, "a"), ("b.txt", 42, "a"), ("b.txt", 42, "z"), ("a.txt", 12, "a"),
    ]


# --- against the krippendorff package, through the coding rule ------------------------------


@st.composite
def coded_articles(draw: st.DrawFn) -> tuple[list[str], list[ArticleCodings]]:
    """2–4 analysts, 1–3 articles of disjoint units, random codings of two tags."""
    analysts = [f"a{i}" for i in range(draw(st.integers(2, 4)))]
    articles = []
    for number in range(draw(st.integers(1, 3))):
        cuts = sorted(set(draw(st.lists(st.integers(0, 200), min_size=2, max_size=16))))
        units = [(cuts[i], cuts[i + 1] - draw(st.integers(0, 1)) * (cuts[i + 1] - cuts[i] > 1)) for i in range(len(cuts) - 1)]
        codings = [
            Coding(draw(st.sampled_from(analysts)), draw(st.sampled_from(["x", "y"])), start, start + draw(st.integers(1, 40)))
            for start in draw(st.lists(st.integers(0, 210), max_size=8))
        ]
        articles.append(ArticleCodings(f"{number}.txt", units, codings))
    return analysts, articles


def _by_brute_force(analysts: list[str], articles: list[ArticleCodings], tag: str) -> list[list[int]]:
    """analysts × units 0/1 matrix: every coding checked against every unit."""
    rows: list[list[int]] = [[] for _ in analysts]
    for article in articles:
        if not any(c.analyst in analysts for c in article.codings):
            continue
        for start, end in sorted(article.units):
            for row, name in zip(rows, analysts, strict=True):
                row.append(int(any(c.analyst == name and c.tag == tag and c.start < end and start < c.end for c in article.codings)))
    return rows


@settings(max_examples=150, deadline=None)
@given(coded_articles())
def test_figures_match_brute_force_and_the_krippendorff_package(data: tuple[list[str], list[ArticleCodings]]) -> None:
    analysts, articles = data
    result = measure(articles, analysts, tags=["x", "y"])
    for tag in ("x", "y"):
        matrix = _by_brute_force(analysts, articles, tag)
        figures = result.tags[tag]
        assert figures.units == len(matrix[0])
        assert figures.coded == {name: sum(row) for name, row in zip(analysts, matrix, strict=True)}
        columns = list(zip(*matrix, strict=True))
        if columns:
            assert figures.agreement == pytest.approx(sum(len(set(c)) == 1 for c in columns) / len(columns))
        if len({v for row in matrix for v in row}) < 2:
            assert figures.alpha is None
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                theirs = krippendorff.alpha(reliability_data=np.array(matrix, dtype=float), level_of_measurement="nominal")
            assert not math.isnan(theirs) and figures.alpha == pytest.approx(theirs, abs=1e-9)
        for value in (figures.alpha, figures.kappa):
            assert value is None or -1 <= value <= 1


# --- units from an article, codings from annotations ----------------------------------------


def test_paragraph_units_are_the_readers_paragraphs_in_source_offsets(sample_corpus: Path) -> None:
    for path in scan_corpus(sample_corpus).files:
        document = open_document(sample_corpus, path)
        cleaned = document.cleaned
        readers = passages.line_paragraphs(line.text for line in cleaned.kept)  # what the reader's cursor steps over
        units = document_units(document)
        assert [document.text[s:e] for s, e in units] == [cleaned.text[s:e] for s, e in readers if e > s]
        assert units[0] == document.to_source(*readers[0])  # the title is a unit too
        sentences = document_units(document, "sentence")
        assert [cleaned.text[s:e] for s, e in passages.all_sentences(cleaned.text, readers)] == [
            document.text[s:e] for s, e in sentences
        ]
        # Every sentence lies in one paragraph.
        assert all(any(ps <= s and e <= pe for ps, pe in units) for s, e in sentences)


def test_the_cache_gives_the_same_units_as_cleaning(sample_corpus: Path, tmp_path: Path) -> None:
    from tui.core.cache.articles import up_to_date
    from tui.core.cleaned import OffsetMap

    cache = up_to_date(tmp_path / "notes", sample_corpus, scan_corpus(sample_corpus))
    try:
        for rel, _ in cache.refs():
            stored = cache.stored(rel)
            assert stored is not None
            document = open_document(sample_corpus, rel)
            for unit in ("paragraph", "sentence"):
                assert units_of(stored.text, OffsetMap(stored.spans), unit) == document_units(document, unit)
    finally:
        cache.close()


def test_an_unknown_unit_is_refused(sample_corpus: Path) -> None:
    document = open_document(sample_corpus, scan_corpus(sample_corpus).files[0])
    with pytest.raises(ValueError, match="unknown unit"):
        document_units(document, "word")


TEXT = "Pipeline news. The deal was signed. Talks go on."
REF = ArticleRef.of("a.txt", TEXT)


def annotation(ident: str, start: int, end: int, tags: tuple[str, ...], orphan: bool = False) -> Annotation:
    return Annotation(ident, REF, make_target(TEXT, start, end), tags, "", "2024-01-01", "2024-01-01", orphan)


def test_codings_of_annotations_leave_orphans_out_and_name_the_analyst() -> None:
    plain = annotation("1", 0, 8, ("energy", "security"))
    gone = annotation("2", 15, 19, ("energy",), orphan=True)
    base = annotation("3", 15, 19, ("energy",))
    named = dataclasses.replace(base, analyst="ann")
    assert analyst_of(plain) == UNKNOWN and analyst_of(named) == "ann"  # notes older than analysts: unattributed
    assert analyst_of(dataclasses.replace(named, analyst="")) == UNKNOWN
    assert codings_of([plain, gone, named]) == [
        Coding(UNKNOWN, "energy", 0, 8), Coding(UNKNOWN, "security", 0, 8), Coding("ann", "energy", 15, 19),
    ]
    by_id = {"1": "bob", "3": "carl"}
    assert {c.analyst for c in codings_of([plain, named], analyst=lambda ann: by_id[ann.id])} == {"bob", "carl"}
