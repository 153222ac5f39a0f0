"""Corpus search (tui.core.search): its limit and capped total, and a search while another thread stores articles.

Every search here runs over a real cache: articles are written to a corpus
folder and read in with ``update_cache``, notes are saved by the real store
and synced with ``sync_notes`` (see ``tests/cached_corpus.py``). A
paragraph is a line the cleaner kept; every offset is in the article's
source text.
"""

from __future__ import annotations

import threading

from tests.cached_corpus import CachedCorpus
from tests.search_corpus import GAS, cached, spans_text
from tui.core.search import corpus as corpus_search

# --- limits and counts -----------------------------------------------------------------


def test_limit_caps_the_hits_and_total_counts_past_it(tmp_path, monkeypatch) -> None:
    corpus = cached(tmp_path, *((f"{n:03d}.txt", GAS) for n in range(40)))
    result = corpus.search("gas", limit=5)
    assert len(result.hits) == 5 and result.total == 80 and result.articles == 40 and result.exact
    assert [h.path for h in result.hits] == ["000.txt", "000.txt", "001.txt", "001.txt", "002.txt"]
    monkeypatch.setattr(corpus_search, "TOTAL_CAP", 10)
    capped = corpus.search("gas", limit=5)
    assert not capped.exact and capped.total == 10 and capped.articles == 5
    assert [h.path for h in capped.hits] == ["000.txt", "000.txt", "001.txt", "001.txt", "002.txt"]
    assert corpus.search("gas", limit=30).total == 30  # the cap is never under the limit
    corpus.close()


def test_search_while_another_thread_stores_articles(tmp_path) -> None:
    corpus = CachedCorpus(tmp_path)
    texts = {f"{n}.txt": f"Gas talks number {n} were held on Monday, officials said.\n\nMore text followed later.\n" for n in range(150)}
    corpus.write_all(texts.items())
    errors = []

    def search() -> None:
        try:
            for _ in range(50):
                for hit in corpus.search("gas").hits:
                    assert spans_text(texts[hit.path], hit) == ["Gas"]
        except Exception as error:
            errors.append(error)

    thread = threading.Thread(target=search)
    thread.start()
    corpus.update()
    thread.join()
    assert errors == [] and corpus.search("gas", limit=1000).total == 150
    corpus.close()
