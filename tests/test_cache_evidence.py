"""The corpus cache's evidence (line counts across the corpus) over any sequence of changes (hypothesis).

Files written, emptied, removed and renamed between updates: after every
update the evidence is exactly what ``CorpusEvidence.from_texts`` counts over
the articles read, with no stale key.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cached_corpus import CachedCorpus, set_mtime
from tests.small_corpus import assert_evidence_is_counted_over, sources

# --- the evidence, over any sequence of changes --------------------------------------------

EVIDENCE_LINES = [
    "Share this article",
    "Sign up for our newsletter",
    "Advertisement",
    "© 2024 The Daily Courier",
    "The committee met on Tuesday to discuss the harbour plans.",
    "Officials said the budget would be reviewed again.",
    "The river burst its banks after a week of heavy rain.",
    "   ",
    "",
]
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 4), st.lists(st.sampled_from(EVIDENCE_LINES), min_size=1, max_size=6)),
        st.tuples(st.just("remove"), st.integers(0, 4), st.just([])),
        st.tuples(st.just("rename"), st.integers(0, 4), st.just([])),
        st.tuples(st.just("empty"), st.integers(0, 4), st.just([])),
        st.tuples(st.just("update"), st.just(0), st.just([])),
    ),
    max_size=14,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS)
def test_the_evidence_is_always_counted_over_the_articles_read(steps):
    with tempfile.TemporaryDirectory() as folder:
        corpus = CachedCorpus(Path(folder))
        files: dict[int, str] = {}  # what each file holds now (rel a<i>.txt, or a<i>-moved.txt after a rename)
        names: dict[int, str] = {}
        clock = 1_000_000
        try:
            for action, i, lines in [*steps, ("update", 0, [])]:
                clock += 1
                if action == "write" or action == "empty":
                    names.setdefault(i, f"a{i}.txt")
                    text = "\n".join(lines) if action == "write" else ""
                    set_mtime(corpus.write(names[i], text), clock)
                    files[i] = text
                elif action == "remove" and i in files:
                    corpus.remove(names.pop(i))
                    del files[i]
                elif action == "rename" and i in files:
                    new = f"a{i}-moved.txt" if names[i] == f"a{i}.txt" else f"a{i}.txt"
                    os.rename(corpus.corpus / names[i], corpus.corpus / new)
                    names[i] = new
                elif action == "update":
                    corpus.update()
                    readable = {names[i]: text for i, text in files.items() if text.strip()}
                    assert set(corpus.read_rels()) == set(readable)
                    assert_evidence_is_counted_over(corpus, sources(corpus), set(EVIDENCE_LINES))
                    assert sources(corpus) == readable
        finally:
            corpus.close()
