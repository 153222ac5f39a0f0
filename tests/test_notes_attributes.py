"""The analyst's attribute edits and memos in the notes folder: stored, undone, followed, checked and repaired."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.catalogue import facts_for
from tui.core.clean import clean_text
from tui.core.export.formats import to_web_annotation
from tui.core.facts import MAX_VALUE, RESERVED, FactError, analyst_value, canonical_key
from tui.core.notes.files import ARTICLES_DIR, MAIN_FILE
from tui.core.notes.history import History, NothingToDo
from tui.core.notes.memos import MAX_MEMO
from tui.core.notes.repair import doctor
from tui.core.notes.store import ArticleRef, ReadOnlyError, Store, StoreError, sync_articles

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = (
    "Killing of Russia's ambassador\n"
    "The World\n"
    "The ambassador was shot at an art gallery in Ankara on Monday evening.\n"
    "Turkey and Russia vowed to keep talking about Syria and the gas pipeline.\n"
)
REF = ArticleRef.of("world/ambassador.txt", TEXT)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "notes") as s:
        yield s


def shard(notes: Path) -> Path:
    [found] = (notes / ARTICLES_DIR).glob("*.json")
    return found


# --- the values an analyst may set -------------------------------------------------------------


def test_analyst_values_are_normalised_and_dates_must_be_iso() -> None:
    assert analyst_value("Date", " 2016-12-20 ") == ("date", "2016-12-20")
    assert analyst_value("date", "2016-12-20T09:30+03:00") == ("date", "2016-12-20T09:30+03:00")
    assert analyst_value("date", "2016") == ("date", "2016")
    assert analyst_value("Outlet", "  The   World ") == ("source", "The World")  # another name of source
    assert analyst_value("lang", "en-GB") == ("language", "en")
    assert analyst_value("Press Agency", "TASS") == ("press_agency", "TASS")
    assert analyst_value("author", "   ") == ("author", "")  # clears
    for bad in ("20/12/2016", "2016-13-01", "20 December 2016", "yesterday"):
        with pytest.raises(FactError, match="date: not an ISO 8601 date"):
            analyst_value("date", bad)
    for reserved in sorted(RESERVED):
        with pytest.raises(FactError, match="cannot be an attribute"):
            analyst_value(reserved, "x")
    for name in ("", "9lives", "a" * 41, "a:b", "\x1b[31m"):
        with pytest.raises(FactError, match="cannot be an attribute name"):
            analyst_value(name, "x")
    with pytest.raises(FactError, match="at most"):
        analyst_value("source", "x" * (MAX_VALUE + 1))


@given(st.text(max_size=200))
def test_any_text_is_one_line_or_refused(value: str) -> None:
    try:
        name, kept = analyst_value("section", value)
    except FactError:
        pytest.fail("every text is a value of a free attribute")
    assert name == "section" and kept == " ".join(value.split()) and "\n" not in kept


# --- attributes in the store -------------------------------------------------------------------


def test_set_read_clear_and_give_back(tmp_path, store) -> None:
    assert store.attributes.of(REF.path) == {}
    before = store.attributes.set(REF, TEXT, {"Date": "2016-12-20", "outlet": "The World", "section": "Europe"})
    assert before == {"date": None, "source": None, "section": None}
    assert store.attributes.of(REF.path) == {"date": "2016-12-20", "source": "The World", "section": "Europe"}
    assert store.attributes.set(REF, TEXT, {"source": "", "section": None}) == {"source": "The World", "section": "Europe"}
    store.close()
    with Store.open(tmp_path / "notes", mode="read") as again:
        assert again.attributes.of(REF.path) == {"date": "2016-12-20", "source": ""}
        with pytest.raises(ReadOnlyError):
            again.attributes.set(REF, TEXT, {"source": "TASS"})
    assert doctor(tmp_path / "notes").ok


def test_a_bad_edit_writes_nothing(tmp_path, store) -> None:
    store.attributes.set(REF, TEXT, {"source": "The World"})
    written = shard(tmp_path / "notes").read_bytes()
    with pytest.raises(FactError):
        store.attributes.set(REF, TEXT, {"author": "Ann Smith", "date": "last Monday"})
    with pytest.raises(StoreError, match="lone surrogate"):
        store.attributes.set(REF, TEXT, {"author": "bad \udcff byte"})
    assert shard(tmp_path / "notes").read_bytes() == written


def test_giving_back_an_edit_of_an_article_without_notes_writes_no_file(tmp_path, store) -> None:
    assert store.attributes.set(REF, TEXT, {"date": None}) == {"date": None}
    assert list((tmp_path / "notes" / ARTICLES_DIR).glob("*.json")) == []


def test_the_analyst_wins_over_every_extracted_value() -> None:
    cleaned = clean_text(TEXT + "\nThe World is an independent newsroom.\n")
    extracted = facts_for(TEXT, {"date": "2016-12-19"}, cleaned.lines, cleaned.language)
    assert extracted.get("date") == "2016-12-19" and extracted.fact("date").origin == "html"
    edited = facts_for(TEXT, {"date": "2016-12-19"}, cleaned.lines, cleaned.language,
                       analyst={"date": "2016-12-20", "source": ""})
    assert edited.fact("date").origin == "analyst" and edited.get("date") == "2016-12-20"
    assert edited.get("source") is None and edited.fact("source").reason == "cleared by the analyst"


def test_edits_live_beside_the_annotations_and_survive_their_changes(tmp_path, store) -> None:
    ann = store.add(REF, TEXT, 0, 7, ["security"])
    store.attributes.set(REF, TEXT, {"date": "2016-12-20"})
    store.memos.set(REF, TEXT, "Read with 002.")
    store.update(ann.id, note="later")
    store.set_override(REF, TEXT, 2, False)
    store.vocabulary.rename("security", "safety")
    edited = TEXT.replace("Monday", "Monday night")
    store.sync(ArticleRef.of(REF.path, edited), edited)  # re-anchored: the file is rewritten
    other = ArticleRef.of("other.txt", "Other text about gas.")
    store.import_annotations([*to_annotations(store, other)])  # an import through the commit
    assert store.attributes.of(REF.path) == {"date": "2016-12-20"}
    assert store.memos.of(REF.path) == "Read with 002."
    data = json.loads(shard_of(tmp_path / "notes", REF.path).read_text())
    assert set(data) == {"article", "annotations", "overrides", "attributes", "memo"}


def to_annotations(store: Store, ref: ArticleRef) -> list:
    """Two annotations on another article, with a new tag: the import takes the all-or-nothing commit."""
    from tui.core.export.formats import from_web_annotation
    from tui.core.notes.model import Annotation, make_target

    text = "Other text about gas."
    anns = [Annotation(f"00000000-0000-4000-8000-00000000000{n}", ref, make_target(text, n, n + 4), ("oil",), "", "2024", "2024")
            for n in range(2)]
    return from_web_annotation(to_web_annotation(anns))


def shard_of(notes: Path, path: str) -> Path:
    for found in (notes / ARTICLES_DIR).glob("*.json"):
        if json.loads(found.read_text())["article"]["1"]["path"] == path:
            return found
    raise AssertionError(path)


def test_edits_follow_a_renamed_article(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT)
    from tui.core.corpus import load_corpus

    with Store.open(tmp_path / "notes") as s:
        s.attributes.set(ArticleRef.of("a.txt", TEXT), TEXT, {"source": "The World"})
        s.memos.set(ArticleRef.of("a.txt", TEXT), TEXT, "memo")
    (corpus / "a.txt").rename(corpus / "renamed.txt")
    with Store.open(tmp_path / "notes") as s:
        sync_articles(s, load_corpus(corpus)[0])
        assert s.attributes.of("renamed.txt") == {"source": "The World"} and s.attributes.of("a.txt") == {}
        assert s.memos.of("renamed.txt") == "memo"


# --- memos -------------------------------------------------------------------------------------


def test_memos_of_the_corpus_and_of_an_article(tmp_path, store) -> None:
    assert store.memos.corpus() == "" and store.memos.of(REF.path) == ""
    assert store.memos.set_corpus("# Energy and security\r\n\r\nHow did coverage change?") == ""
    assert store.memos.corpus() == "# Energy and security\n\nHow did coverage change?"
    assert store.memos.set(REF, TEXT, "  keep **as** written  ") == ""
    assert store.memos.of(REF.path) == "  keep **as** written  "
    assert store.memos.set(REF, TEXT, " \n ") == "  keep **as** written  "  # white space only: removed
    assert store.memos.of(REF.path) == ""
    with pytest.raises(StoreError, match="at most"):
        store.memos.set_corpus("x" * (MAX_MEMO + 1))
    with pytest.raises(StoreError, match="lone surrogate"):
        store.memos.set(REF, TEXT, "\udcff")
    store.close()
    main = json.loads((tmp_path / "notes" / MAIN_FILE).read_text())
    assert [doc["memo"] for doc in main["memo"].values()] == ["# Energy and security\n\nHow did coverage change?"]
    assert doctor(tmp_path / "notes").ok


def test_tags_and_imports_keep_the_corpus_memo(store) -> None:
    store.memos.set_corpus("Research question")
    store.vocabulary.add("oil", "red")
    store.vocabulary.rename("oil", "crude")
    store.import_annotations(to_annotations(store, ArticleRef.of("other.txt", "Other text about gas.")))
    assert store.memos.corpus() == "Research question"


# --- undo --------------------------------------------------------------------------------------


def test_attribute_and_memo_edits_are_undone_and_redone(tmp_path) -> None:
    history = History.open(tmp_path / "notes")
    attributes, memos = history.store.attributes, history.store.memos
    try:
        history.set_attributes(REF, TEXT, {"date": "2016-12-20"})
        edit = history.set_attributes(REF, TEXT, {"date": "2016-12-21", "source": "The World", "author": ""})
        assert edit.label == "date, source, author set" and edit.path == REF.path and edit.annotations_unchanged
        history.set_memo(REF, TEXT, "first memo")
        history.set_corpus_memo("the question")
        assert history.undo().label == "corpus memo saved" and memos.corpus() == ""
        assert history.undo().label == "memo saved" and memos.of(REF.path) == ""
        history.undo()
        assert attributes.of(REF.path) == {"date": "2016-12-20"}
        history.redo()
        assert attributes.of(REF.path) == {"date": "2016-12-21", "source": "The World", "author": ""}
        history.undo()
        history.undo()
        assert attributes.of(REF.path) == {}
        with pytest.raises(NothingToDo):
            history.undo()
        history.redo()
        history.redo()
        history.redo()
        history.redo()
        assert memos.of(REF.path) == "first memo" and memos.corpus() == "the question"
        with pytest.raises(FactError):
            history.set_attributes(REF, TEXT, {"date": "soon"})
        assert attributes.of(REF.path)["date"] == "2016-12-21"
        assert history.undo().label == "corpus memo saved"  # the refused edit is not in the history
    finally:
        history.close()


# --- old folders, damage, repair ---------------------------------------------------------------


def test_a_folder_from_before_attributes_reads_as_having_none(tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "notes_v1", notes)
    with Store.open(notes, mode="read") as s:
        paths = list(s.articles())
        assert paths and all(s.attributes.of(p) == {} and s.memos.of(p) == "" for p in paths)
        assert s.memos.corpus() == ""
    with Store.open(notes) as s:  # migrated to today's schema: still none, and they can be added
        text = (FIXTURES / "corpus_v1" / "article_a.txt").read_text()
        s.attributes.set(ArticleRef.of("article_a.txt", text), text, {"source": "The World"})
    assert doctor(notes).ok


@pytest.mark.parametrize(
    ("table", "value", "fault"),
    [
        ("attributes", {"1": {"attribute": "date", "value": 2016, "updated": "x"}}, "attributes/1: 'value' should be str"),
        ("attributes", {"1": {"attribute": "", "value": "x", "updated": "x"}}, "attributes/1: the name should be non-empty"),
        ("memo", {"1": {"memo": "a", "updated": "x"}, "2": {"memo": "b", "updated": "x"}}, "one document at most"),
        ("memo", {"1": {"memo": ["a"], "updated": "x"}}, "memo/1: 'memo' should be str"),
    ],
)
def test_a_wrong_shape_is_named_by_doctor(tmp_path, store, table, value, fault) -> None:
    store.attributes.set(REF, TEXT, {"source": "The World"})
    store.close()
    path = shard(tmp_path / "notes")
    data = json.loads(path.read_text())
    data[table] = value
    path.write_text(json.dumps(data))
    report = doctor(tmp_path / "notes")
    assert not report.ok and fault in report.problems[0][1]
    with Store.open(tmp_path / "notes") as s, pytest.raises(StoreError, match="wrong shape"):
        s.attributes.of(REF.path)


def test_repair_keeps_the_edits_and_memo_of_a_damaged_article_file(tmp_path, store) -> None:
    kept = store.add(REF, TEXT, 0, 7, ["security"])
    lost = store.add(REF, TEXT, 8, 14, ["energy"])
    store.attributes.set(REF, TEXT, {"date": "2016-12-20", "source": "The World"})
    store.memos.set(REF, TEXT, "line one\nline two")
    store.close()
    path = shard(tmp_path / "notes")
    path.write_text(path.read_text().rstrip().removesuffix("}"))  # the article file loses its closing brace
    mine = next((tmp_path / "notes" / "analysts").glob("*/articles/*.json"))  # and the annotations' own file a line
    lines = mine.read_text().splitlines()
    damaged = next(n for n, line in enumerate(lines) if lost.id in line)
    lines[damaged] = lines[damaged][:50]
    mine.write_text("\n".join(lines))
    assert not doctor(tmp_path / "notes").ok
    actions = Store.repair(tmp_path / "notes")
    assert any("2 attribute edit(s), its memo" in line for line in actions)
    with Store.open(tmp_path / "notes") as again:
        assert [a.id for a in again.annotations(REF.path)] == [kept.id]
        assert again.attributes.of(REF.path) == {"date": "2016-12-20", "source": "The World"}
        assert again.memos.of(REF.path) == "line one\nline two"
    assert doctor(tmp_path / "notes").ok


def test_repair_keeps_the_corpus_memo_of_a_damaged_main_file(tmp_path, store) -> None:
    store.memos.set_corpus("How did coverage of energy change?")
    store.add(REF, TEXT, 0, 7, ["security"])
    store.close()
    main = tmp_path / "notes" / MAIN_FILE
    main.write_text(main.read_text().replace('"schema": 3', '"schema": 3,,'))
    assert not doctor(tmp_path / "notes").ok
    Store.repair(tmp_path / "notes")
    with Store.open(tmp_path / "notes") as again:
        assert again.memos.corpus() == "How did coverage of energy change?"
    assert doctor(tmp_path / "notes").ok


def test_repair_merges_a_second_file_of_one_article_without_losing_an_edit(tmp_path, store) -> None:
    store.attributes.set(REF, TEXT, {"date": "2016-12-20", "source": "The World"})
    store.memos.set(REF, TEXT, "first")
    store.close()
    first = shard(tmp_path / "notes")
    data = json.loads(first.read_text())
    data["attributes"] = {"1": {"attribute": "source", "value": "PRI", "updated": "9999-01-01T00:00:00.000Z"},
                          "2": {"attribute": "author", "value": "Charles Maynes", "updated": "2000-01-01T00:00:00.000Z"}}
    data["memo"] = {"1": {"memo": "second", "updated": "2000-01-01T00:00:00.000Z"}}
    (first.parent / ("f" * 32 + ".json")).write_text(json.dumps(data))
    assert any("second notes file" in message for _, message in doctor(tmp_path / "notes").problems)
    Store.repair(tmp_path / "notes")
    with Store.open(tmp_path / "notes") as again:
        assert again.attributes.of(REF.path) == {"date": "2016-12-20", "source": "PRI", "author": "Charles Maynes"}
        assert again.memos.of(REF.path) == "first\n\nsecond"
    assert doctor(tmp_path / "notes").ok


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.dictionaries(
        st.sampled_from(["date", "source", "author", "url", "language", "section", "Country"]),
        st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)),
        max_size=5,
    ),
    memo=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
)
def test_whatever_is_saved_reads_back_the_same_after_reopening(tmp_path_factory, edits, memo) -> None:
    notes = tmp_path_factory.mktemp("notes")
    wanted: dict[str, str] = {}
    with Store.open(notes) as s:
        for key, value in edits.items():
            try:
                name, normal = analyst_value(key, value) if value is not None else (canonical_key(key), None)
            except FactError:
                continue
            s.attributes.set(REF, TEXT, {key: value})
            if normal is None:
                wanted.pop(name, None)
            else:
                wanted[name] = normal
        s.memos.set(REF, TEXT, memo)
        s.memos.set_corpus(memo)
    with Store.open(notes, mode="read") as s:
        assert s.attributes.of(REF.path) == wanted
        expected = memo.replace("\r\n", "\n").replace("\r", "\n") if memo.strip() else ""
        assert s.memos.of(REF.path) == expected and s.memos.corpus() == expected
    assert doctor(notes).ok
