"""Tests for ``tui.core.search.corpus``: ``OffsetMap`` against ``Cleaned``, and ``CorpusSearch`` over the corpus cache.

The search answers from the cache (tui.core.cache): every test writes real
article files, reads them in with ``update_cache`` and saves notes through
the real store, synced with ``sync_notes``. Hits carry source offsets: the
offsets every annotation uses, whatever the cleaner dropped.
"""

from __future__ import annotations

import queue
import re
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cached_corpus import CachedCorpus
from tui.core.cache import refresh
from tui.core.cache.analyse import analyse
from tui.core.cache.database import transaction
from tui.core.cache.refresh import read_files, take_listing
from tui.core.clean import clean_text
from tui.core.cleaned import PARAGRAPH_SEPARATOR
from tui.core.corpus import scan_corpus
from tui.core.notes.model import ArticleRef

# --- texts for the properties -------------------------------------------------

PROSE = [
    "The committee met on Tuesday to discuss the harbour plans for the coming year.",
    "Officials said the budget would be reviewed again in the spring by the council.",
    "Residents have complained for months about the noise from the new ferry terminal.",
    "It is not clear whether the minister will attend the meeting, a spokesman said.",
    "Prices rose by three per cent in the last quarter, according to the statistics office.",
    "The river burst its banks after a week of heavy rain across the northern valleys.",
]
MENU = [
    "Home | News | Sport | Weather",
    "Share this article",
    "Sign up for our newsletter",
    "Related articles",
    "Advertisement",
    "World | Business | Culture",
    "Comments (12)",
]
HEADINGS = [
    "Harbour plans divide the town council",
    "What happens next",
]
LINES = st.one_of(
    st.sampled_from(PROSE),
    st.sampled_from(MENU),
    st.sampled_from(HEADINGS),
    st.just(""),
    st.just("   "),
    st.text(alphabet="abc XYZ.,|é", min_size=1, max_size=30),
)
TEXTS = st.lists(LINES, min_size=0, max_size=25).map("\n".join)


@st.composite
def cleaned_texts(draw):
    """A text, cleaned with or without random keep/drop overrides."""
    text = draw(TEXTS)
    count = text.count("\n") + 1
    overrides = draw(
        st.one_of(
            st.none(),
            st.dictionaries(st.integers(1, count), st.sampled_from(["keep", "drop"]), max_size=count),
        )
    )
    return text, clean_text(text, overrides)


# --- OffsetMap properties -----------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(cleaned_texts())
def test_offset_map_to_source_matches_cleaned(case):
    _, cleaned = case
    offsets = cleaned.offsets
    for o in range(len(cleaned.text) + 1):
        assert offsets.to_source(o) == cleaned.to_source(o), o


@settings(max_examples=300, deadline=None)
@given(cleaned_texts(), st.data())
def test_offset_map_to_clean_inside_one_kept_line(case, data):
    _, cleaned = case
    kept = cleaned.kept
    if not kept:
        return
    assert all(line.text for line in kept)  # blank lines are never kept
    line = data.draw(st.sampled_from(kept))
    s = data.draw(st.integers(line.start, line.end - 1))
    e = data.draw(st.integers(s + 1, line.end))
    assert cleaned.offsets.to_clean(s, e) == (cleaned.to_clean(s), cleaned.to_clean(e))


@settings(max_examples=300, deadline=None)
@given(cleaned_texts(), st.data())
def test_offset_map_to_clean_inside_a_dropped_line_is_none(case, data):
    _, cleaned = case
    dropped = [line for line in cleaned.lines if not line.keep and line.text]
    if not dropped:
        return
    line = data.draw(st.sampled_from(dropped))
    s = data.draw(st.integers(line.start, line.end - 1))
    e = data.draw(st.integers(s + 1, line.end))
    assert cleaned.offsets.to_clean(s, e) is None


@settings(max_examples=300, deadline=None)
@given(cleaned_texts(), st.data())
def test_offset_map_to_clean_any_span_is_cut_to_its_kept_part(case, data):
    """Any source span: None iff it holds no kept character; else it ends after its last kept one."""
    text, cleaned = case
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    kept_positions = [
        cleaned.to_clean(p)
        for line in cleaned.kept
        for p in range(max(s, line.start), min(e, line.end))
    ]
    got = cleaned.offsets.to_clean(s, e)
    if not kept_positions:
        assert got is None
    else:
        assert got is not None
        start, end = got
        assert end == max(kept_positions) + 1
        # It starts at the first kept character, or (a span starting on the newline
        # that ends a kept line) on the paragraph separator just before it.
        assert min(kept_positions) - len(PARAGRAPH_SEPARATOR) <= start <= min(kept_positions)


def test_offset_map_of_an_article_with_nothing_kept():
    cleaned = clean_text("Home | News | Sport\nShare this article\n")
    assert cleaned.kept == []
    offsets = cleaned.offsets
    assert offsets.to_source(0) == 0
    assert offsets.to_clean(0, 5) is None


# --- CorpusSearch over the cache ----------------------------------------------------

ARTICLE_A = (
    "Home | News | Sport | Weather\n"
    "Share this article\n"
    "\n"
    "The committee met on Tuesday to discuss the Harbour plans for the coming year.\n"
    "\n"
    "Officials said the budget would be reviewed again in the spring by the council.\n"
)
ARTICLE_B = (
    "World | Business | Culture\n"
    "Sign up for our newsletter\n"
    "\n"
    "Residents have complained for months about the noise near the harbour wall.\n"
    "\n"
    "The river burst its banks after a week of heavy rain across the northern valleys.\n"
)
SOURCES = {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B}


def span_of(text, word):
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def corpus(tmp_path):
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(SOURCES.items())
    corpus.update()
    yield corpus
    corpus.close()


def texts_of(hit, source):
    return [source[s:e] for s, e in hit.matches]


def test_cleaned_and_source_offsets_differ():
    """The fixture texts only test the mapping if cleaning shifts the offsets."""
    for text in (ARTICLE_A, ARTICLE_B):
        cleaned = clean_text(text)
        word = "harbour" if "harbour" in cleaned.text else "Harbour"
        assert cleaned.text.index(word) != text.index(word)
        assert not cleaned.text.startswith(text.split("\n")[0])


def test_len_counts_the_articles_read_into_the_index(corpus):
    assert len(corpus.searcher) == 2
    corpus.write("empty.txt", b"")
    corpus.write("c.txt", ARTICLE_A.replace("Harbour", "Lighthouse"))
    take_listing(corpus.cache, scan_corpus(corpus.corpus))
    assert len(corpus.searcher) == 2  # listed, not read yet
    corpus.update()
    assert len(corpus.searcher) == 3  # an unreadable file is not in the index


def test_hits_are_kept_lines_and_matches_are_the_words_in_the_source(corpus):
    result = corpus.search("harbour")
    assert [hit.path for hit in result.hits] == ["a.txt", "b.txt"]
    for hit in result.hits:
        source = SOURCES[hit.path]
        assert hit.kind == "text" and hit.annotation_id is None
        assert hit.title == hit.path.removesuffix(".txt")  # no headline: the file's name
        assert (hit.start, hit.end) in corpus.kept_lines(hit.path)
        assert source[hit.start : hit.end] in source.split("\n")
        assert [source[s:e].lower() for s, e in hit.matches] == ["harbour"]
        assert all(hit.start <= s < e <= hit.end for s, e in hit.matches)
        assert [hit.context[s:e].lower() for s, e in hit.context_matches] == ["harbour"]


def test_a_phrase_in_the_second_paragraph(corpus):
    (hit,) = corpus.search('"heavy rain"').hits
    ((s, e),) = hit.matches
    assert ARTICLE_B[s:e] == "heavy rain"
    assert ARTICLE_B[hit.start : hit.end] == "The river burst its banks after a week of heavy rain across the northern valleys."


def test_words_only_in_dropped_lines_are_not_found(corpus):
    for query in ("newsletter", '"share this"', "weather"):
        assert corpus.search(query).total == 0, query
        assert corpus.searcher.matching(query) == [], query


def test_note_is_searchable_with_its_annotation(corpus):
    ann = corpus.annotate("a.txt", "budget", "Compare with the turbine figures")
    (hit,) = corpus.search("turbine").hits
    assert (hit.kind, hit.annotation_id, hit.path, hit.title) == ("note", ann.id, "a.txt", "a")
    # The hit's passage is the annotated span, in the source.
    assert (hit.start, hit.end) == span_of(ARTICLE_A, "budget") == (ann.target.start, ann.target.end)
    assert hit.matches == ()  # the word is in the note, not in the passage
    assert hit.context == "Compare with the turbine figures"
    assert [hit.context[s:e] for s, e in hit.context_matches] == ["turbine"]


def test_note_hit_and_text_hit_for_a_word_in_both(corpus):
    corpus.annotate("a.txt", "budget", "the budget is late")
    hits = corpus.search("budget").hits
    assert [hit.kind for hit in hits] == ["text", "note"]  # the note after the paragraph it starts in
    assert texts_of(hits[1], ARTICLE_A) == ["budget"] and texts_of(hits[0], ARTICLE_A) == ["budget"]


def test_notes_saved_before_the_article_is_read_count_once_it_is(tmp_path):
    corpus = CachedCorpus(tmp_path)
    s, e = span_of(ARTICLE_A, "budget")
    with corpus.store() as store:
        early = store.add(ArticleRef.of("a.txt", ARTICLE_A), ARTICLE_A, s, e, [], "turbine question")
    assert corpus.sync() == 1
    assert corpus.search("turbine").hits == []  # no such article in the cache
    corpus.write("a.txt", ARTICLE_A)
    listing = take_listing(corpus.cache, scan_corpus(corpus.corpus))
    assert corpus.search("turbine").hits == []  # listed, not read yet
    read_files(corpus.cache, listing.work, processes=1)
    hits = corpus.search("turbine").hits
    assert [(hit.kind, hit.annotation_id) for hit in hits] == [("note", early.id)]
    assert ARTICLE_A[hits[0].start : hits[0].end] == "budget"
    corpus.close()


def test_an_orphaned_note_is_still_found(corpus):
    ann = corpus.annotate("a.txt", "Officials said the budget", "orphaned turbine remark")
    edited = ARTICLE_A.replace("Officials said the budget would be reviewed again", "The council will meet again")
    corpus.write("a.txt", edited)
    corpus.update()
    with corpus.store() as store:  # what the reader does when it shows the edited article
        assert store.sync(ArticleRef.of("a.txt", edited), edited)["orphan"] == 1
        assert store.get(ann.id).orphan
    corpus.sync()
    hits = corpus.search("turbine").hits
    assert [(hit.kind, hit.annotation_id, hit.path, hit.matches) for hit in hits] == [("note", ann.id, "a.txt", ())]
    assert corpus.search("orphaned remark").total == 1


def test_note_on_dropped_text_is_still_found(corpus):
    ann = corpus.annotate("a.txt", "Share this article", "why is the turbine here")
    hits = corpus.search("turbine").hits
    assert [(hit.kind, hit.annotation_id, hit.matches) for hit in hits] == [("note", ann.id, ())]
    assert ARTICLE_A[hits[0].start : hits[0].end] == "Share this article"


def test_empty_notes_give_no_note_hits(corpus):
    corpus.annotate("a.txt", "budget", "")
    corpus.annotate("a.txt", "budget", "   \n ")
    hits = corpus.search("budget").hits
    assert [hit.kind for hit in hits] == ["text"]
    assert all(hit.annotation_id is None for hit in hits)
    assert corpus.cache.row("a.txt").notes == 2  # counted all the same


def test_an_edited_note_replaces_the_old_one(corpus):
    ann = corpus.annotate("a.txt", "budget", "turbine")
    assert len(corpus.search("turbine").hits) == 1
    with corpus.store() as store:
        store.update(ann.id, note="")
    corpus.sync()
    assert corpus.search("turbine").hits == []
    with corpus.store() as store:
        store.update(ann.id, note="windmill")
    corpus.sync()
    assert corpus.search("turbine").hits == []
    assert [hit.annotation_id for hit in corpus.search("windmill").hits] == [ann.id]


def test_notes_of_one_article_do_not_touch_another(corpus):
    kept = corpus.annotate("a.txt", "budget", "turbine")
    gone = corpus.annotate("b.txt", "harbour wall", "turbine too")
    assert [hit.annotation_id for hit in corpus.search("turbine").hits] == [kept.id, gone.id]
    with corpus.store() as store:
        store.delete(gone.id)
    corpus.sync()
    assert [hit.path for hit in corpus.search("turbine").hits] == ["a.txt"]


def test_a_rewritten_article_replaces_its_text(corpus):
    replacement = ARTICLE_A.replace("Harbour plans", "lighthouse repairs")
    corpus.write("a.txt", replacement)
    corpus.update()
    assert len(corpus.searcher) == 2
    assert [hit.path for hit in corpus.search("harbour").hits] == ["b.txt"]
    hits = corpus.search("lighthouse").hits
    assert [(hit.path, hit.title) for hit in hits] == [("a.txt", "a")]
    assert texts_of(hits[0], replacement) == ["lighthouse"]


def test_a_note_follows_its_article_when_the_article_is_edited(corpus):
    ann = corpus.annotate("a.txt", "budget", "turbine: check the budget")
    edited = "Breaking: an update at noon.\n" + ARTICLE_A
    corpus.write("a.txt", edited)
    corpus.update()
    with corpus.store() as store:
        store.sync(ArticleRef.of("a.txt", edited), edited)
    corpus.sync()
    (hit,) = corpus.search("turbine").hits
    assert hit.annotation_id == ann.id and edited[hit.start : hit.end] == "budget"
    (both,) = corpus.search("turbine budget").hits
    assert texts_of(both, edited) == ["budget"]


# --- whose notes: blind coding searches the analyst's own ------------------------------------


def note_analysts(corpus) -> list[tuple[str, str]]:
    return corpus.cache.db.connect().execute("SELECT annotation, analyst FROM note_rows ORDER BY id").fetchall()


def test_each_note_is_indexed_with_its_analyst_and_search_keeps_to_the_analysts_asked(corpus):
    anna = corpus.annotate("a.txt", "budget", "turbine: ask about the budget", analyst="anna")
    bea_a = corpus.annotate("a.txt", "committee", "turbine committee", analyst="bea")
    bea_b = corpus.annotate("b.txt", "harbour wall", "a turbine by the wall", analyst="bea")
    assert sorted(note_analysts(corpus)) == sorted([(anna.id, "anna"), (bea_a.id, "bea"), (bea_b.id, "bea")])

    everyone = corpus.search("turbine")
    assert (everyone.total, everyone.articles) == (3, 2)
    assert corpus.search("turbine", analysts=frozenset({"anna", "bea"})) == everyone

    mine = corpus.search("turbine", analysts=frozenset({"anna"}))
    assert [hit.annotation_id for hit in mine.hits] == [anna.id]
    assert (mine.total, mine.articles, mine.exact) == (1, 1, True)  # bea's notes are not counted either
    theirs = corpus.search("turbine", analysts=frozenset({"bea"}))
    assert [hit.annotation_id for hit in theirs.hits] == [bea_a.id, bea_b.id]
    assert (theirs.total, theirs.articles) == (2, 2)
    first = corpus.search("turbine", limit=1, analysts=frozenset({"bea"}))  # fewer listed, the same totals
    assert [hit.annotation_id for hit in first.hits] == [bea_a.id] and (first.total, first.articles) == (2, 2)
    for nobody in (frozenset({"carla"}), frozenset()):
        none = corpus.search("turbine", analysts=nobody)
        assert (none.hits, none.total, none.articles) == ([], 0, 0)

    # The text is searched whoever's notes are: only the note hits keep to the analysts asked.
    assert [hit.kind for hit in corpus.search("budget", analysts=frozenset({"bea"})).hits] == ["text"]
    assert [hit.kind for hit in corpus.search("budget", analysts=frozenset({"anna"})).hits] == ["text", "note"]
    harbour = corpus.search("harbour", analysts=frozenset({"anna"}))
    assert [hit.kind for hit in harbour.hits] == ["text", "text"] and harbour.total == 2


def test_notes_made_before_analysts_were_recorded_are_unattributeds(corpus):
    ann = corpus.annotate("a.txt", "budget", "turbine")  # the store's analyst is not set: unattributed
    assert note_analysts(corpus) == [(ann.id, "unattributed")]
    assert corpus.search("turbine", analysts=frozenset({"anna"})).total == 0
    assert corpus.search("turbine", analysts=frozenset({"unattributed"})).total == 1


# --- matching: the list's filter -----------------------------------------------------------


def test_matching_finds_words_where_they_start_anywhere_in_the_article(corpus):
    corpus.write("c.txt", "Министр иностранных дел России Сергей Лавров провёл переговоры в гавани.\n")
    corpus.write("empty.txt", b"")
    corpus.update()
    matching = corpus.searcher.matching
    assert matching("harb") == ["a.txt", "b.txt"]  # a prefix of "Harbour" and "harbour"
    assert matching("HARBOUR") == ["a.txt", "b.txt"]
    assert matching("arbour") == []  # not where a word starts
    assert matching("harbour wall") == ["b.txt"]
    assert matching("committee spring") == ["a.txt"]  # two paragraphs: the whole article counts
    assert corpus.search("committee spring").total == 0  # a search wants them in one paragraph
    assert matching("committee valleys") == []  # every term, in one article
    assert matching('"harbour plans"') == ["a.txt"] and matching('"plans harbour"') == []
    assert matching("провел") == ["c.txt"] and matching("ЛАВРОВ") == ["c.txt"]
    assert matching("empty") == []  # an unreadable file has no text to match
    # No terms (blank, or punctuation alone): nothing for the index to match; the list's titles still filter.
    assert matching("") == matching("   ") == matching("-") == matching('"') == []


def test_matching_finds_the_title_where_the_text_does_not_have_it(tmp_path):
    corpus = CachedCorpus(tmp_path)
    corpus.write("zebra-crossing.txt", "Министр иностранных дел России Сергей Лавров провёл переговоры.\n")
    corpus.update()
    assert corpus.cache.row("zebra-crossing.txt").title == "zebra-crossing"  # no headline: the file's name
    assert corpus.searcher.matching("zebra") == ["zebra-crossing.txt"]
    assert corpus.searcher.matching("zebra министр") == ["zebra-crossing.txt"]  # one term in the title, one in the text
    assert corpus.search("zebra").total == 0  # hits are in the text
    corpus.close()


def test_matching_lists_in_the_list_order_not_the_order_files_were_read(corpus):
    corpus.write("0-first.txt", ARTICLE_B.replace("harbour wall", "harbour gate"))
    corpus.update()
    assert corpus.cache.rels()[0] == "0-first.txt"
    assert corpus.searcher.matching("harbour") == ["0-first.txt", "a.txt", "b.txt"]
    assert [hit.path for hit in corpus.search("harbour").hits] == ["0-first.txt", "a.txt", "b.txt"]


def test_matching_leaves_out_files_listed_but_not_read(corpus):
    corpus.write("c.txt", ARTICLE_B)
    take_listing(corpus.cache, scan_corpus(corpus.corpus))
    assert corpus.searcher.matching("harbour") == ["a.txt", "b.txt"]  # c.txt holds it too, but is not read yet
    assert corpus.searcher.matching("") == []


# --- threads --------------------------------------------------------------------


def quarry_articles(count: int) -> dict[str, str]:
    return {
        f"{i}.txt": f"Home | News | Sport\nShare this article\n\n"
        f"Article number {i} reports that the quarry expansion was approved by the council.\n"
        for i in range(count)
    }


def test_storing_in_one_thread_while_searching_in_another(tmp_path):
    corpus = CachedCorpus(tmp_path)
    count = 300
    texts = quarry_articles(count)
    corpus.write_all(texts.items())
    errors: list[BaseException] = []

    def writer():
        try:
            corpus.update()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    while thread.is_alive():
        result = corpus.search("quarry", limit=count)
        seen.append(len(result.hits))
        for hit in result.hits[:3]:
            assert texts_of(hit, texts[hit.path]) == ["quarry"]
    thread.join()
    assert errors == []
    # Searches only ever saw more articles as they were stored.
    assert seen == sorted(seen)
    result = corpus.search("quarry", limit=count)
    assert result.exact and result.total == count
    assert [hit.path for hit in result.hits] == list(texts)  # the list's order
    for hit in result.hits:
        assert texts_of(hit, texts[hit.path]) == ["quarry"]
        number = re.search(r"number (\d+)", texts[hit.path][hit.start : hit.end]).group(1)
        assert hit.path == f"{number}.txt"
    corpus.close()


def test_a_search_sees_each_batch_once_it_is_stored(tmp_path, monkeypatch):
    """In step with the writer: after each batch, a search in another thread sees exactly the files stored so far."""
    monkeypatch.setattr(refresh, "BATCH", 7)
    corpus = CachedCorpus(tmp_path)
    texts = quarry_articles(30)
    corpus.write_all(texts.items())
    stored: queue.Queue[int | None] = queue.Queue()
    searched = threading.Semaphore(0)

    def progress(done: int, total: int, rels: list[str]) -> None:
        stored.put(done)
        searched.acquire()  # the writer waits while the other thread searches

    def writer():
        try:
            corpus.update(progress=progress)
        finally:
            stored.put(None)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    totals = []
    try:
        while (done := stored.get()) is not None:
            result = corpus.search("quarry", limit=100)
            totals.append((done, result.total, [hit.path for hit in result.hits]))
            searched.release()
    finally:
        for _ in range(10):  # a failure above must not leave the writer waiting
            searched.release()
        thread.join()
        corpus.close()
    assert totals == [(done, done, list(texts)[:done]) for done in (7, 14, 21, 28, 30)]


def test_a_search_does_not_wait_for_a_write_under_way_nor_see_it(corpus):
    """WAL: a reader answers from the last commit while another thread holds the write transaction."""
    corpus.write("c.txt", ARTICLE_B.replace("harbour wall", "harbour gate"))
    listing = take_listing(corpus.cache, scan_corpus(corpus.corpus))
    (work,) = listing.work
    result = analyse(str(corpus.corpus), *work)
    inside, commit, errors = threading.Event(), threading.Event(), []

    def writer():
        try:
            with transaction(corpus.cache.db.connect()) as conn:
                assert refresh.store(conn, result)
                inside.set()
                commit.wait()
        except BaseException as error:
            errors.append(error)
            inside.set()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        inside.wait()
        during = [hit.path for hit in corpus.search("harbour").hits]
    finally:
        commit.set()
        thread.join()
    assert during == ["a.txt", "b.txt"]  # at once, and without c.txt
    assert errors == []
    assert [hit.path for hit in corpus.search("harbour").hits] == ["a.txt", "b.txt", "c.txt"]
