"""Corpus search (tui.core.search) follows the corpus and the notes as they change.

A removed article is forgotten with its notes, a rewritten one is replaced in
its place, any sequence of writes, removes and updates matches a plain model
(hypothesis), and notes are searched and open the span they annotate.

Every search here runs over a real cache: articles are written to a corpus
folder and read in with ``update_cache``, notes are saved by the real store
and synced with ``sync_notes`` (see ``tests/cached_corpus.py``). A
paragraph is a line the cleaner kept; every offset is in the article's
source text.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cached_corpus import CachedCorpus, set_mtime
from tests.search_corpus import KILLING, PIPELINE, cached, spans_text


@pytest.fixture
def two(tmp_path):
    """The killing and the pipeline, read into a cache."""
    corpus = cached(tmp_path, ("a/killing.txt", KILLING), ("b/pipeline.txt", PIPELINE))
    yield corpus
    corpus.close()


# --- changing the corpus ------------------------------------------------------


def test_a_removed_article_is_forgotten_with_its_notes(two) -> None:
    two.annotate("a/killing.txt", "Killing", "follow up")
    assert two.search("follow").total == 1
    two.remove("a/killing.txt")
    two.update()
    assert len(two.searcher) == 1
    assert two.search("ambassador").total == 0 and two.search("follow").total == 0
    assert two.search("pipeline").articles == 1


def test_a_rewritten_article_is_replaced_in_its_place(two) -> None:
    rewritten = (
        "Pipeline report rewritten\n\nNothing about ambassadors now, only pipeline news from the talks on Monday.\n\n"
        "The talks went on late into the night, officials said.\n"
    )
    set_mtime(two.write("a/killing.txt", rewritten), 1_000_000)
    two.update()
    assert len(two.searcher) == 2
    assert two.cache.rels() == ["a/killing.txt", "b/pipeline.txt"]
    assert two.search("belarussia").total == 0
    result = two.search("pipeline")
    assert [(hit.path, hit.title) for hit in result.hits] == [
        ("a/killing.txt", "Pipeline report rewritten"), ("a/killing.txt", "Pipeline report rewritten"),
        ("b/pipeline.txt", "Pipeline deal signed"), ("b/pipeline.txt", "Pipeline deal signed"),
    ]
    assert two.search("ambassadors").total == 1


WORDS = ["gas", "oil", "navy", "talks"]


def report(words: set[str]) -> str:
    return f"The report on {' and '.join(sorted(words)) or 'nothing'} was published on Monday, officials said.\n"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["write", "remove", "update"]), st.integers(0, 7), st.sets(st.sampled_from(WORDS))),
                max_size=30))
def test_writes_removes_and_updates_in_any_order_match_a_plain_model(steps) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = CachedCorpus(Path(folder))
        model: dict[str, set[str]] = {}
        try:
            for clock, (action, number, words) in enumerate([*steps, ("update", 0, set())]):
                path = f"a{number}.txt"
                if action == "write":
                    set_mtime(corpus.write(path, report(words)), 1_000_000 + clock)
                    model[path] = words
                elif action == "remove" and path in model:
                    corpus.remove(path)
                    del model[path]
                elif action == "update":
                    corpus.update()
                    for word in [*WORDS, "report"]:
                        expected = {path for path, words in model.items() if word in words or word == "report"}
                        assert {hit.path for hit in corpus.search(word).hits} == expected, word
                        assert set(corpus.searcher.matching(word)) == expected, word
        finally:
            corpus.close()


# --- notes ------------------------------------------------------------------------


def test_notes_are_searched_and_open_the_annotated_span(two) -> None:
    start = KILLING.index("One day")
    n1 = two.annotate("a/killing.txt", KILLING[start : start + 30], "Russia's reply: cross-check with the Kremlin readout")
    two.annotate("a/killing.txt", "Killing", "")
    (hit,) = two.search("kremlin").hits
    assert (hit.kind, hit.annotation_id, hit.start, hit.end, hit.matches) == ("note", n1.id, start, start + 30, ())
    assert hit.context[slice(*hit.context_matches[0])] == "Kremlin"
    both = two.search("russia kremlin").hits  # "Russia" is also inside the annotated span
    assert [h.kind for h in both] == ["note"] and spans_text(KILLING, both[0]) == ["Russia"]
    # A note comes after the paragraph it starts in, and before the next paragraph.
    assert [(h.path, h.kind) for h in two.search("russia").hits] == [
        ("a/killing.txt", "text"), ("a/killing.txt", "text"), ("a/killing.txt", "note"), ("b/pipeline.txt", "text")
    ]
    with two.store() as store:
        store.delete(n1.id)
    two.sync()
    assert two.search("kremlin").total == 0


def test_notes_saved_before_the_article_count_once_it_is_read(tmp_path) -> None:
    corpus = CachedCorpus(tmp_path)
    text = "Text of the later article, which mentions a levy in passing, was published.\n"
    with corpus.store() as store:
        from tui.core.notes.model import ArticleRef

        note = store.add(ArticleRef.of("later.txt", text), text, 0, 4, [], "tariff question")
    corpus.sync()
    assert corpus.search("tariff").total == 0
    corpus.write("later.txt", text)
    corpus.update()
    assert [h.annotation_id for h in corpus.search("tariff").hits] == [note.id]
    corpus.close()
