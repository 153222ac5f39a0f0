"""The annotation store: annotations, tags, overrides, re-anchoring, damage, migration, export."""

import json
import shutil
from pathlib import Path

import pytest

from tui.core.export.formats import to_web_annotation
from tui.core.notes.files import ARTICLES_DIR, MAIN_FILE, path_key
from tui.core.notes.model import sha256_text
from tui.core.notes.repair import doctor
from tui.core.notes.store import ArticleRef, ReadOnlyError, Store, StoreError, TagError
from tui.core.notes.tags import Vocabulary

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = (
    "Killing of Russia's ambassador\n"
    "The ambassador was shot at an art gallery in Ankara on Monday evening.\n"
    "Donate now!\n"
    "Turkey and Russia vowed to keep talking about Syria and the gas pipeline.\n"
)
REF = ArticleRef.of("world/ambassador.txt", TEXT)


def span(quote: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "notes") as s:
        yield s


def test_add_list_update_delete_and_reopen(tmp_path, store):
    ann = store.add(REF, TEXT, *span("shot at an art gallery"), ["security", "syria"], "the attack")
    assert ann.tags == ("security", "Syria")  # spelled as in the vocabulary
    assert (ann.target.exact, ann.target.prefix) == ("shot at an art gallery", TEXT[ann.target.start - 32 : ann.target.start])
    assert ann.created.endswith("Z") and ann.created == ann.updated
    second = store.add(REF, TEXT, *span("vowed to keep talking"), ["diplomacy"])
    updated = store.update(ann.id, tags=["energy"], note="revised")
    assert (updated.tags, updated.note, updated.created) == (("energy",), "revised", ann.created)
    store.delete(second.id)
    store.close()
    with Store.open(tmp_path / "notes") as again:
        assert [a.id for a in again.annotations(REF.path)] == [ann.id]
        assert again.get(ann.id).note == "revised"
        assert again.all_annotations() == [again.get(ann.id)]
        with pytest.raises(KeyError):
            again.get(second.id)


def test_unknown_tag_lists_the_known_ones(store):
    with pytest.raises(TagError, match="unknown tag 'oil'; known tags: security, energy, Syria, diplomacy"):
        store.add(REF, TEXT, 0, 5, ["oil"])


def test_text_must_match_the_article_hash(store):
    with pytest.raises(ValueError, match="sha256"):
        store.add(REF, TEXT + "x", 0, 5, ["security"])


def test_tag_vocabulary(store):
    ann = store.add(REF, TEXT, *span("gas pipeline"), ["energy", "Syria"])
    oil = store.vocabulary.add("oil", "#123456")
    assert oil.key == "5"
    with pytest.raises(TagError, match="already exists"):
        store.vocabulary.add("OIL", "red")
    with pytest.raises(TagError, match="colour"):
        store.vocabulary.add("x", "not a colour!")
    with pytest.raises(TagError, match="already used by tag 'security'"):
        store.vocabulary.edit("oil", key="1")
    assert store.vocabulary.edit("oil", colour="teal").colour == "teal"
    assert store.vocabulary.rename("energy", "Energy policy") == 1
    assert store.get(ann.id).tags == ("Energy policy", "Syria")
    with pytest.raises(TagError, match="used by 1 annotation"):
        store.vocabulary.remove("Syria")
    assert store.vocabulary.usage("syria") == 1
    assert store.vocabulary.remove("Syria", force=True) == 1
    assert store.get(ann.id).tags == ("Energy policy",)
    assert store.vocabulary.remove("oil") == 0
    assert [t.name for t in store.tags()] == ["security", "Energy policy", "diplomacy"]


def test_move_tag_reorders_the_vocabulary_and_the_order_survives_reopening(tmp_path):
    with Store.open(tmp_path / "notes") as store:
        store.vocabulary.move("diplomacy", 0)
        store.vocabulary.move("security", 99)  # clamped to the end
        expected = ["diplomacy", "energy", "Syria", "security"]
        assert [t.name for t in store.tags()] == expected
        assert {t.name: (t.colour, t.key) for t in store.tags()}["security"] == ("#d9534f", "1")
        with pytest.raises(TagError, match="unknown tag"):
            store.vocabulary.move("tanks", 0)
    with Store.open(tmp_path / "notes", mode="read") as store:
        assert [t.name for t in store.tags()] == expected


def test_interrupted_tag_rename_is_finished_on_open(tmp_path, store, monkeypatch):
    ann = store.add(REF, TEXT, *span("gas pipeline"), ["energy"])

    class Died(BaseException):
        """The process died right after recording the operation."""

    monkeypatch.setattr(Vocabulary, "finish_pending", lambda self: (_ for _ in ()).throw(Died()))
    with pytest.raises(Died):
        store.vocabulary.rename("energy", "gas")
    monkeypatch.undo()
    store.close()
    assert any("interrupted" in m for _, m in doctor(tmp_path / "notes").problems)
    with Store.open(tmp_path / "notes") as again:
        assert again.get(ann.id).tags == ("gas",)
        assert "gas" in [t.name for t in again.tags()]


def test_overrides_are_stored_and_follow_their_line(store):
    store.set_override(REF, TEXT, 3, False)
    store.set_override(REF, TEXT, 2, True)
    assert store.overrides(REF.path) == {3: False, 2: True}
    store.set_override(REF, TEXT, 2, None)
    assert store.overrides(REF.path) == {3: False}
    edited = "A new first line\n" + TEXT
    store.sync(ArticleRef.of(REF.path, edited), edited)
    assert store.overrides(REF.path) == {4: False}


def test_edited_article_is_reanchored_and_saved(tmp_path, store):
    kept = store.add(REF, TEXT, *span("shot at an art gallery in Ankara"), ["security"])
    fuzzy = store.add(REF, TEXT, *span("Turkey and Russia vowed to keep talking"), ["diplomacy"])
    lost = store.add(REF, TEXT, *span("Donate now!"), ["security"])
    edited = "Breaking\n" + TEXT.replace("Donate now!\n", "").replace("vowed to keep", "vowed again to keep")
    new_ref = ArticleRef.of(REF.path, edited)
    counts = store.sync(new_ref, edited)
    assert counts == {"exact": 0, "nearest": 1, "fuzzy": 1, "orphan": 1}
    assert store.sync(new_ref, edited) is None
    store.close()
    with Store.open(tmp_path / "notes") as again:
        a, b, c = (again.get(x.id) for x in (kept, fuzzy, lost))
        assert edited[a.target.start : a.target.end] == "shot at an art gallery in Ankara"
        assert b.target.exact == "Turkey and Russia vowed again to keep talking"
        assert c.orphan and c.target.exact == "Donate now!"  # kept, flagged, not moved
        assert again.articles()[REF.path].sha256 == new_ref.sha256
        assert [x.id for x in again.annotations(REF.path)][-1] == lost.id


def test_adding_to_an_edited_article_reanchors_it_first(store):
    first = store.add(REF, TEXT, *span("Donate now!"), ["security"])
    edited = TEXT.replace("Donate now!\n", "")
    store.add(ArticleRef.of(REF.path, edited), edited, 0, 7, ["security"])
    assert store.get(first.id).orphan


def test_sync_corpus_follows_renames_and_reports_missing(store):
    ann = store.add(REF, TEXT, *span("art gallery"), ["security"])
    other = ArticleRef.of("b.txt", "other text")
    store.add(other, "other text", 0, 5, ["energy"])
    moved = ArticleRef("world/renamed.txt", REF.sha256)
    report = store.sync_corpus([moved], lambda ref: pytest.fail("no text needed"))
    assert report.renamed == [(REF.path, moved.path)] and report.missing == ["b.txt"]
    assert store.get(ann.id).article == moved
    assert store.annotations(REF.path) == [] and store.annotations("b.txt")[0].note == ""


def test_second_store_in_the_same_process_is_read_only(tmp_path, store):
    store.add(REF, TEXT, 0, 7, ["security"])
    with Store.open(tmp_path / "notes") as other:
        assert other.readonly and "process" in other.holder
        assert len(other.annotations(REF.path)) == 1
        with pytest.raises(ReadOnlyError, match="being written by process"):
            other.add(REF, TEXT, 0, 7, ["security"])
        with pytest.raises(ReadOnlyError):
            other.vocabulary.add("oil", "red")
    with pytest.raises(StoreError, match="being written by"):
        Store.open(tmp_path / "notes", mode="write")


def test_corrupt_main_file_is_never_overwritten(tmp_path):
    notes = tmp_path / "notes"
    Store.open(notes).close()
    main = notes / MAIN_FILE
    main.write_text(
        '{\n "meta": {\n  "1": {"schema": 2}\n },\n "tags": {\n'
        '  "1": {"name": "security", "colour": "red", "key": "1"},\n  "2": {"name": "ener'
    )
    before = main.read_bytes()
    with pytest.raises(StoreError, match=r"dossier.json: not valid JSON at line 7, column \d+"):
        Store.open(notes)
    assert main.read_bytes() == before
    report = doctor(notes)
    assert not report.ok and report.problems[0][0] == MAIN_FILE
    actions = Store.repair(notes)
    assert "original kept as dossier.json.corrupt-" in actions[0]
    assert next(notes.glob("dossier.json.corrupt-*")).read_bytes() == before
    with Store.open(notes) as s:
        assert [t.name for t in s.tags()] == ["security"]
    assert doctor(notes).ok


def test_damaged_article_file_is_salvaged_line_by_line(tmp_path):
    notes = tmp_path / "notes"
    with Store.open(notes) as s:
        ids = [s.add(REF, TEXT, i, i + 5, ["security"]).id for i in range(3)]
    shard = next((notes / "analysts" / "unattributed" / ARTICLES_DIR).glob("*.json"))  # the annotations' own file
    lines = shard.read_text().splitlines()
    damaged = next(i for i, line in enumerate(lines) if ids[1] in line)
    lines[damaged] = lines[damaged][:60]
    shard.write_text("\n".join(lines))
    with Store.open(notes) as s, pytest.raises(StoreError, match=f"{shard.name}: not valid JSON at line {damaged + 1}"):
        s.annotations(REF.path)
    Store.repair(notes)
    with Store.open(notes) as s:
        assert [a.id for a in s.annotations(REF.path)] == [ids[0], ids[2]]
    assert len(list(shard.parent.glob("*.corrupt-*"))) == 1


def test_wrong_shape_names_the_file_and_the_fault(tmp_path):
    notes = tmp_path / "notes"
    with Store.open(notes) as s:
        ann = s.add(REF, TEXT, 0, 5, ["security"])
    shard = next((notes / "analysts" / "unattributed" / ARTICLES_DIR).glob("*.json"))
    data = json.loads(shard.read_text())
    data["annotations"][ann.id]["tags"] = "security"
    shard.write_text(json.dumps(data))
    with Store.open(notes) as s, pytest.raises(StoreError, match=f"{shard.name}: wrong shape: annotations/{ann.id}: 'tags' should be list"):
        s.annotations(REF.path)


def test_a_first_annotation_writes_only_its_article_file(tmp_path):
    """The file is named after the article's path: no index entry, so no write that grows with the corpus."""
    notes = tmp_path / "notes"
    with Store.open(notes) as s:
        s.add(ArticleRef("other.txt", sha256_text("x")), "x", 0, 1, ["energy"])
        main_before = (notes / MAIN_FILE).read_bytes()
        ann = s.add(REF, TEXT, 0, 5, ["security"])
        assert (notes / MAIN_FILE).read_bytes() == main_before
    assert json.loads(main_before)["articles"] == {}
    assert (notes / ARTICLES_DIR / f"{path_key(REF.path)}.json").is_file()
    assert doctor(notes).ok
    with Store.open(notes) as s:
        assert s.get(ann.id).article == REF
        assert [a.id for a in s.annotations(REF.path)] == [ann.id]
        assert sorted(s.articles()) == ["other.txt", REF.path]


def test_a_random_key_file_missing_from_the_index_is_adopted(tmp_path):
    """Files of older versions have random keys and need the index: one a crash left out is adopted."""
    notes = tmp_path / "notes"
    with Store.open(notes) as s:
        ann = s.add(REF, TEXT, 0, 5, ["security"])
    derived = notes / ARTICLES_DIR / f"{path_key(REF.path)}.json"
    derived.rename(derived.with_name("0123456789abcdef0123456789abcdef.json"))  # as an older Dossier named it
    assert "not in the index" in doctor(notes).problems[0][1]
    with Store.open(notes) as s:
        assert s.get(ann.id).article == REF
    assert doctor(notes).ok


def test_schema_1_is_migrated_and_the_old_file_kept(tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "notes_v1", notes)
    original = (notes / MAIN_FILE).read_bytes()
    assert "schema 1" in doctor(notes).problems[0][1]
    with Store.open(notes) as s:
        anns = s.all_annotations()
        assert [a.tags for a in anns] == [("security",), ("diplomacy",), ("pipelines",)]
        assert anns[0].target.exact == "shot at an art gallery in Ankara" and anns[0].note == "the attack"
        assert "pipelines" in [t.name for t in s.tags()]
        corpus = FIXTURES / "corpus_v1"
        text = (corpus / "article_a.txt").read_text()
        assert s.sync(ArticleRef.of("article_a.txt", text), text) is None  # same text: nothing to do
    assert next(notes.glob("dossier.json.v1-*")).read_bytes() == original
    assert json.loads((notes / MAIN_FILE).read_text())["meta"]["1"]["schema"] == 3
    assert doctor(notes).ok


def test_newer_schema_is_refused(tmp_path):
    notes = tmp_path / "notes"
    Store.open(notes).close()
    main = json.loads((notes / MAIN_FILE).read_text())
    main["meta"]["1"]["schema"] = 99
    (notes / MAIN_FILE).write_text(json.dumps(main))
    with pytest.raises(StoreError, match="schema 99 is newer than"):
        Store.open(notes)


def test_web_annotation_export(store):
    ann = store.add(REF, TEXT, *span("art gallery"), ["security", "Syria"], "where it happened")
    orphan = store.add(REF, TEXT, *span("Donate now!"), ["energy"])
    edited = TEXT.replace("Donate now!\n", "")
    store.sync(ArticleRef.of(REF.path, edited), edited)
    ann = store.get(ann.id)  # its suffix changed with the text
    doc = to_web_annotation(store.annotations(REF.path))
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 2
    first, second = doc["items"]
    assert first == {
        "id": f"urn:uuid:{ann.id}",
        "type": "Annotation",
        "created": ann.created,
        "modified": ann.updated,
        "creator": {"type": "Person", "name": "unattributed"},  # no analyst was set
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "security"},
            {"type": "TextualBody", "purpose": "tagging", "value": "Syria"},
            {"type": "TextualBody", "purpose": "commenting", "value": "where it happened"},
        ],
        "target": {
            "source": REF.path,
            "selector": [
                {"type": "TextQuoteSelector", "exact": "art gallery", "prefix": ann.target.prefix, "suffix": ann.target.suffix},
                {"type": "TextPositionSelector", "start": ann.target.start, "end": ann.target.end},
            ],
        },
    }
    assert second["orphan"] is True and second["id"] == f"urn:uuid:{orphan.id}"
    json.dumps(doc)  # serialisable as is


def test_read_only_store_shows_reanchored_text_without_writing(tmp_path):
    notes = tmp_path / "notes"
    with Store.open(notes) as s:
        ann = s.add(REF, TEXT, *span("art gallery"), ["security"])
    edited = "Intro\n" + TEXT
    before = {p: p.read_bytes() for p in notes.rglob("*.json")}
    with Store.open(notes, mode="read") as ro:
        ro.sync(ArticleRef.of(REF.path, edited), edited)
        assert ro.get(ann.id).target.start == ann.target.start + 6
    assert {p: p.read_bytes() for p in notes.rglob("*.json")} == before
