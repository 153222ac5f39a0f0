"""Lines recurring across a corpus as evidence of boilerplate (tui.core.evidence)."""

from __future__ import annotations

import pytest

from tui.core.clean import clean_text
from tui.core.evidence import CorpusEvidence

FOOTER = "Die Redaktion erreichen Sie werktags von neun bis siebzehn Uhr unter der Nummer der Zentrale."


CITIES = "Wien Genf Ankara Moskau Baku Sofia Athen Rom Prag Riga Oslo Bern Minsk Kiew".split()


def article(n: int, footer: str = FOOTER) -> str:
    """A German article with its own title and paragraphs (told apart by a city) and the outlet's footer."""
    city = CITIES[n]
    return "\n\n".join(
        [
            f"Gespräche über den Gastransit gehen in {city} weiter",
            f"Die Minister beider Länder trafen sich am Dienstag in {city}, um über den Transit von Gas zu sprechen.",
            f"Beide Seiten nannten die Gespräche in {city} nützlich und wollen die technischen Fragen bald klären.",
            f"Kritiker bemängeln, dass die Frage der Sicherheitsgarantien auch nach dem Treffen in {city} offen bleibt.",
            footer,
        ]
    )


def test_counts_each_line_once_per_article_and_folds_case_space_and_numbers() -> None:
    evidence = CorpusEvidence.from_texts(["© 2023 Example\nShare\nShare", "©  2024 example\nShare", "Other"])
    assert evidence.articles == 3
    assert evidence.count("Share") == 2  # twice in the first article counts once
    assert evidence.count("© 2025 EXAMPLE") == 2  # years and case folded
    assert evidence.count("never seen") == 0


def test_a_line_recurs_from_min_articles_on() -> None:
    evidence = CorpusEvidence(min_articles=3)
    for n in range(2):
        evidence.add(article(n))
    assert evidence.recurs(FOOTER) == 0
    evidence.add(article(2))
    assert evidence.recurs(FOOTER) == 3


def test_discard_forgets_an_article() -> None:
    evidence = CorpusEvidence.from_texts(article(n) for n in range(3))
    evidence.discard(article(0))
    assert evidence.articles == 2 and evidence.recurs(FOOTER) == 0


def test_min_articles_must_be_at_least_two() -> None:
    with pytest.raises(ValueError):
        CorpusEvidence(min_articles=1)


def test_clean_text_drops_recurring_lines_with_a_reason_and_keeps_the_article() -> None:
    texts = [article(n) for n in range(14)]
    evidence = CorpusEvidence.from_texts(texts)
    alone = clean_text(texts[5])
    assert FOOTER in alone.text  # on its own, the footer reads like a sentence of the article
    cleaned = clean_text(texts[5], evidence=evidence)
    footer = next(line for line in cleaned.lines if line.text == FOOTER)
    assert not footer.keep and footer.kind == "boilerplate"
    assert footer.reason == "appears in 14 articles of this corpus"
    assert cleaned.title == "Gespräche über den Gastransit gehen in Sofia weiter"
    assert sum(line.kind == "body" for line in cleaned.lines) == 3
    assert cleaned.warnings == []


def test_an_article_copied_across_the_corpus_is_kept_whole_and_flagged() -> None:
    text = article(1)
    evidence = CorpusEvidence.from_texts([text, text, text, article(2)])
    cleaned = clean_text(text, evidence=evidence)
    assert [line.text for line in cleaned.kept] == [line.text for line in clean_text(text).kept]
    assert len(cleaned.warnings) == 1 and "may be a copy" in cleaned.warnings[0]
