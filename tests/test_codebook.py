"""The codebook: tag descriptions, the hierarchy, merging, and the codebook files (CSV, REFI-QDA .qdc).

Round trips are checked with hostile names and descriptions (hypothesis);
the ``.qdc`` output is validated against REFI-QDA's own schema (lxml). An
old notes folder (``tests/fixtures/notes_before_codebook``, written by
Dossier before the codebook existed) opens and keeps working.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core import codebook, codebook_qdc
from tui.core.filtering import Subject, parse
from tui.core.notes.files import MAIN_FILE
from tui.core.notes.history import History, NothingToDo
from tui.core.notes.model import ArticleRef
from tui.core.notes.repair import doctor
from tui.core.notes.store import Store, TagError
from tui.core.notes.tags import Tag, check_name
from tui.core.overview import coding_matrix
from tui.core.refi.codes import code_guid
from tui.core.tag_tree import implied, parent_of, tag_matches, tree_order

FIXTURES = Path(__file__).parent / "fixtures"
XSD = Path(__file__).resolve().parents[2] / "shared" / "refi-qda" / "Project-mrt2019.xsd"
TEXT = "Gas flows west. Prices rose. Talks went on in Geneva about Syria.\n"
REF = ArticleRef.of("a.txt", TEXT)


def span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


@pytest.fixture
def history(tmp_path):
    h = History(Store.open(tmp_path / "notes"))
    yield h
    h.close()


# --- the hierarchy ------------------------------------------------------------


def test_tag_matches_a_tag_and_its_descendants_only() -> None:
    assert tag_matches("energy", "energy") and tag_matches("Energy/Pipelines", "energy")
    assert tag_matches("energy/pipelines/russia", "energy/pipelines")
    assert not tag_matches("energyX", "energy") and not tag_matches("energy", "energy/pipelines")
    assert tag_matches("energy/prices", "energy/")  # a trailing slash asks for the same subtree


def test_tree_order_puts_children_under_their_parents_and_adds_implied_ones() -> None:
    names = ["security", "energy/prices", "Syria", "energy", "energy/pipelines", "oil/brent"]
    assert tree_order(names) == ["security", "energy", "energy/prices", "energy/pipelines", "Syria", "oil", "oil/brent"]
    assert implied(names) == ["oil"]
    assert parent_of("energy/prices") == "energy" and parent_of("energy") == ""


def test_names_with_levels_are_checked_level_by_level() -> None:
    assert check_name("energy/pipelines/russia") == "energy/pipelines/russia"
    for bad in ("energy/", "/energy", "energy//x", "energy/ x", "x" * 41, "a/" + "y" * 41, "a/b/c/d/e/f"):
        with pytest.raises(TagError):
            check_name(bad)


def test_a_parent_filter_and_overview_column_count_the_children(history) -> None:
    store = history.store
    store.vocabulary.add("energy/pipelines", "teal")
    store.vocabulary.add("energy/prices", "teal")
    both = store.add(REF, TEXT, *span("Gas flows west."), ["energy/pipelines", "energy/prices"])
    store.add(REF, TEXT, *span("Prices rose."), ["energy/prices"])
    store.add(REF, TEXT, *span("Talks went on"), ["diplomacy"])
    matrix = coding_matrix(store.all_annotations(), ["a.txt"], tree_order(t.name for t in store.tags()))
    assert matrix.tags[:4] == ["security", "energy", "energy/pipelines", "energy/prices"]
    assert matrix.count("a.txt", "energy") == 2  # the annotation with two children counts once
    assert [p.annotation_id for p in matrix.passages("a.txt", "energy/pipelines")] == [both.id]

    article = Subject("", tags=[("energy/pipelines",)])
    assert parse("tag:energy").matches(article) and parse("tag:ENERGY/pipelines").matches(article)
    assert not parse("tag:energy/prices").matches(article) and not parse("tag:ener").matches(article)


# --- descriptions, keys, merging, undo ----------------------------------------


def test_a_description_is_saved_normalised_and_undone(tmp_path, history) -> None:
    history.describe_tag("energy", "  Oil, gas, electricity.\r\nNot prices alone.  ")
    assert history.store.vocabulary.get("energy").description == "Oil, gas, electricity.\nNot prices alone."
    history.describe_tag("energy", "")
    stored = json.loads((tmp_path / "notes" / MAIN_FILE).read_text())["tags"]["2"]
    assert stored == {"name": "energy", "colour": "#f0ad4e", "key": "2"}  # no description: the old record shape
    history.undo()
    assert history.store.vocabulary.get("energy").description.startswith("Oil")
    history.undo()
    assert history.store.vocabulary.get("energy").description == ""
    with pytest.raises(TagError, match="too long"):
        history.describe_tag("energy", "x" * 4001)


def test_a_key_puts_the_tag_in_that_place(history) -> None:
    history.place_tag("diplomacy", 1)
    assert [t.name for t in history.store.tags()] == ["diplomacy", "security", "energy", "Syria"]
    history.undo()
    assert history.store.tags()[0].name == "security"
    with pytest.raises(NothingToDo):
        history.place_tag("energy", 7)


def test_merge_keeps_the_other_tags_leaves_no_duplicate_and_undoes(history) -> None:
    store = history.store
    store.vocabulary.add("gas", "teal", description="natural gas")
    only = store.add(REF, TEXT, *span("Gas flows west."), ["gas", "Syria"])
    both = store.add(REF, TEXT, *span("Prices rose."), ["energy", "gas", "security"])
    other = store.add(REF, TEXT, *span("Talks went on"), ["diplomacy"])
    history.merge_tag("gas", "energy")
    assert [t.name for t in store.tags()] == ["security", "energy", "Syria", "diplomacy"]
    assert store.get(only.id).tags == ("energy", "Syria")
    assert store.get(both.id).tags == ("energy", "security")  # energy once
    assert store.get(other.id).tags == ("diplomacy",)
    history.undo()
    assert store.vocabulary.get("gas") == Tag("gas", "teal", "5", "natural gas")
    assert [store.get(a.id).tags for a in (only, both, other)] == [("gas", "Syria"), ("energy", "gas", "security"), ("diplomacy",)]
    history.redo()
    assert store.get(only.id).tags == ("energy", "Syria") and "gas" not in [t.name for t in store.tags()]
    with pytest.raises(TagError, match="into itself"):
        store.vocabulary.merge("energy", "ENERGY")
    with pytest.raises(TagError, match="unknown tag"):
        store.vocabulary.merge("energy", "oil")


def test_an_interrupted_merge_is_finished_on_the_next_open(tmp_path) -> None:
    with Store.open(tmp_path / "notes") as store:
        ann = store.add(REF, TEXT, 0, 3, ["Syria", "energy"])
    main_file = tmp_path / "notes" / MAIN_FILE
    data = json.loads(main_file.read_text())
    data["meta"]["1"]["pending"] = {"op": "merge", "old": "Syria", "new": "energy"}  # recorded, then a crash
    main_file.write_text(json.dumps(data))
    with Store.open(tmp_path / "notes") as store:
        assert store.get(ann.id).tags == ("energy",)
        assert "Syria" not in [t.name for t in store.tags()]


# --- old folders ----------------------------------------------------------------


def test_a_folder_written_before_the_codebook_opens_and_keeps_working(tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "notes_before_codebook", notes)
    assert doctor(notes).ok
    with Store.open(notes) as store:
        assert [t.description for t in store.tags()] == [""] * 6
        assert [a.tags for a in store.all_annotations()] == [("security",), ("energy/pipelines",), ("diplomacy", "pipelines")]
        text = (FIXTURES / "corpus_v1" / "article_a.txt").read_text()
        assert store.sync(ArticleRef.of("article_a.txt", text), text) is None
        history = History(store)
        history.describe_tag("energy/pipelines", "Gas pipelines")
        history.merge_tag("pipelines", "energy/pipelines")  # the old top-level tag into the child
        assert [a.tags for a in store.all_annotations()][2] == ("diplomacy", "energy/pipelines")
        assert store.memos.corpus() == "Who talks about the ambassador?"
    assert doctor(notes).ok
    with Store.open(notes, mode="read") as store:
        assert store.vocabulary.get("energy/pipelines").description == "Gas pipelines"


def test_a_damaged_description_is_reported_and_repair_keeps_a_good_one(tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "notes_before_codebook", notes)
    data = json.loads((notes / MAIN_FILE).read_text())
    data["tags"]["1"]["description"] = 7
    data["tags"]["2"]["description"] = "kept"
    (notes / MAIN_FILE).write_text(json.dumps(data))
    assert "'description' should be str" in " ".join(line for _, line in doctor(notes).problems)
    Store.repair(notes)
    with Store.open(notes, mode="read") as store:
        assert [t.description for t in store.tags()][:2] == ["", "kept"]


# --- CSV -----------------------------------------------------------------------

#: Text as hostile as a tag's name may be and still round-trip: commas, quotes, formulas, XML specials, any script.
#: No format characters (bidi controls are Cf): the CSV writes those as escapes, by design (a test of their own below).
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp", "Cf"), blacklist_characters="/")
_LEVEL = st.text(_CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)
_LEAD = st.sampled_from(["", "=", "+", "-", "@", "'", '"', ",", "<&>"])
_NAME = st.builds(lambda lead, levels: lead + "/".join(levels), _LEAD, st.lists(_LEVEL, min_size=1, max_size=3)).filter(
    lambda name: _valid(name))
_NAMES = st.lists(_NAME, min_size=1, max_size=6, unique_by=str.casefold)
_SPICE = st.sampled_from(["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "'quoted", '"', ",", "<&>]]>", "\t", "\n", "\n\n"])
_DESCRIPTIONS = st.lists(st.one_of(_SPICE, st.text(_CHARS, max_size=20)), max_size=4).map("".join).map(str.strip)


def _tags(names: list[str], descriptions: list[str]) -> list[Tag]:
    return [Tag(name, "#123abc", "", descriptions[n % len(descriptions)] if descriptions else "") for n, name in enumerate(names)]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(_NAMES, st.lists(_DESCRIPTIONS, max_size=3))
def test_csv_round_trip_with_hostile_text(names, descriptions) -> None:
    tags = _tags(names, descriptions)
    text = codebook.to_csv(tags)
    for line in text.splitlines()[1:]:
        assert not line.startswith(('"=', '"+', '"-', '"@'))  # no cell a spreadsheet would run
    entries, problems = codebook.read_csv("\ufeff" + text)
    assert problems == []
    assert [(e.name, e.colour, e.description) for e in entries] == [(t.name, t.colour, t.description) for t in tags]


def test_a_bidi_control_in_a_tag_is_written_to_the_csv_as_its_escape_not_obeyed() -> None:
    text = codebook.to_csv([Tag("gas\u202etnemom", "#123abc", "", "a \u2066rule\u2069")])
    assert "\u202e" not in text and "\u2066" not in text and "\u2069" not in text
    assert "gas\\u202etnemom" in text and "a \\u2066rule\\u2069" in text


def _valid(name: str) -> bool:
    try:
        check_name(name)
    except TagError:
        return False
    return True


def test_csv_cells_never_start_a_formula_and_bad_rows_are_one_line_each() -> None:
    text = codebook.to_csv([Tag("=cmd", "#fff", "1", "@SUM(1)"), Tag("-x", "red", "2", "+1")])
    assert '"\'=cmd"' in text and '"\'@SUM(1)"' in text and '"\'-x"' in text
    rows = "\n".join([
        "Name,Parent,Colour,Key,Description,Extra",
        "pipelines,energy,#8e44ad,,Gas pipelines,whatever",
        "energy/prices,energy,,3,",
        ",,,,",
        " bad ,,#zz,,",
        "Syria,,,12,",
        "PIPELINES,energy,,,again",
        "toolong" + "x" * 40 + ",,,,",
    ])
    entries, problems = codebook.read_csv(rows)
    assert [(e.name, e.colour, e.description, e.place) for e in entries] == [
        ("energy/pipelines", "#8e44ad", "Gas pipelines", 0), ("energy/prices", "", "", 3)]
    assert [p.split(":")[0] for p in problems] == ["row 5", "row 6", "row 7", "row 8"]
    assert codebook.read_csv("a,b\n1,2\n") == ([], [codebook.read_csv("a\n")[1][0]])


def test_import_merges_into_the_vocabulary_and_says_what_changed(tmp_path) -> None:
    with Store.open(tmp_path / "notes") as store:
        entries, _ = codebook.read_csv(
            "name,parent,colour,key,description\n"
            "pipelines,energy,#8e44ad,1,Gas pipelines\n"
            "energy,,,,Anything about energy\n"
            "Syria,,#5cb85c,,\n"
            "diplomacy,,#000000,,\n"
        )
        said = codebook.apply(store.vocabulary, entries)
        assert said == [
            "added tag energy/pipelines with its description",
            "tag energy: description updated",
            "tag diplomacy: colour updated",
            "tag energy/pipelines moved to key 1",
        ]
        assert store.tags()[0] == Tag("energy/pipelines", "#8e44ad", "5", "Gas pipelines")
        assert codebook.apply(store.vocabulary, entries) == []  # the same file again changes nothing


# --- REFI-QDA .qdc ----------------------------------------------------------------


def _codebook_schema():  # type: ignore[no-untyped-def]
    """REFI-QDA's project schema with the codebook's namespace and a CodeBook root: the Code types are the same."""
    etree = pytest.importorskip("lxml.etree")
    if not XSD.exists():
        pytest.skip(f"the REFI-QDA schema is not at {XSD}")
    text = XSD.read_text(encoding="utf-8").replace("urn:QDA-XML:project:1.0", codebook_qdc.CODEBOOK_NS)
    text = text.replace("</xsd:schema>", '<xsd:element name="CodeBook" type="CodeBookType"/></xsd:schema>')
    return etree, etree.XMLSchema(etree.fromstring(text.encode("utf-8")))


def test_qdc_output_is_valid_refi_qda_and_nests_children() -> None:
    etree, schema = _codebook_schema()
    tags = [Tag("security", "#d9534f", "1", "Violence, threats"), Tag("energy/pipelines", "teal", "2", "Gas <pipes> & \"lines\""),
            Tag("energy/pipelines/russia", "grey50", "3"), Tag("odd\x1bname", "nocolour", "")]
    data = codebook_qdc.to_qdc(tags)
    document = etree.fromstring(data)
    schema.assertValid(document)
    ns = {"q": codebook_qdc.CODEBOOK_NS}
    energy = document.find("q:Codes/q:Code[@name='energy']", ns)
    assert energy.get("isCodable") == "false" and energy.find("q:Code", ns).get("name") == "pipelines"
    assert document.find(".//q:Code[@name='russia']", ns).get("color") == "#808080"
    assert document.find(".//q:Code[@name='odd␛name']", ns) is not None
    entries, problems = codebook_qdc.read_qdc(data)
    assert problems == []
    assert [(e.name, e.description) for e in entries] == [
        ("security", "Violence, threats"), ("energy/pipelines", 'Gas <pipes> & "lines"'), ("energy/pipelines/russia", ""),
        ("odd␛name", "")]
    assert entries[0].guid == code_guid("security")


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(_NAMES, st.lists(_DESCRIPTIONS, max_size=3))
def test_qdc_round_trip_with_hostile_text(names, descriptions) -> None:
    _, schema = _codebook_schema()
    tags = _tags(names, descriptions)
    data = codebook_qdc.to_qdc(tags)
    from lxml import etree

    schema.assertValid(etree.fromstring(data))
    entries, problems = codebook_qdc.read_qdc(data)
    assert problems == []
    assert sorted((e.name, e.colour, e.description) for e in entries) == sorted((t.name, t.colour, t.description) for t in tags)


def test_qdc_from_another_tool_reads_what_it_can() -> None:
    data = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{codebook_qdc.CODEBOOK_NS}"><Codes>
  <Code guid="11111111-2222-3333-4444-555555555555" name="Politics" isCodable="false">
    <Code guid="{{11111111-2222-3333-4444-555555555556}}" name="Yes/No" isCodable="true" color="#abc"/>
    <Code guid="x" name="   " isCodable="true"><Code guid="y" name="lost" isCodable="true"/></Code>
    <Code guid="z" name="Bad colour" isCodable="true" color="#12"><Description>kept</Description></Code>
  </Code>
  <Code guid="w" name="{'n' * 41}" isCodable="true"/>
  <Code guid="v" name="a/b/c/d/e" isCodable="true"/><Code guid="u" name="Level" isCodable="false"><Description>a rule</Description></Code>
</Codes></CodeBook>""".encode()
    entries, problems = codebook_qdc.read_qdc(data)
    assert [(e.name, e.colour, e.description) for e in entries] == [
        ("Politics/Yes∕No", "#abc", ""), ("Politics/Bad colour", "", "kept"), ("n" * 40, "", ""), ("a∕b∕c∕d∕e", "", ""),
        ("Level", "", "a rule")]  # a folder with a description is a tag, so that the description is kept
    assert len(problems) == 5 and "and the 1 code(s) inside it" in problems[1] and "read as 'nnnn" in problems[3]
    assert codebook_qdc.read_qdc(b"<x>") == ([], [codebook_qdc.read_qdc(b"<x>")[1][0]])
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;">]><CodeBook><Codes/></CodeBook>'
    assert "entities" in codebook_qdc.read_qdc(bomb)[1][0]


# --- the command line -------------------------------------------------------------


def test_codebook_and_tags_commands(tmp_path, capsys) -> None:
    notes = tmp_path / "notes"
    with Store.open(notes) as store:
        store.vocabulary.add("energy/pipelines", "#8e44ad", description="Gas pipelines")
        ann = store.add(REF, TEXT, 0, 3, ["energy/pipelines", "energy"])
    out = tmp_path / "book.qdc"
    assert main(["codebook", "export", str(out), "--notes", str(notes)]) == 0
    assert main(["codebook", "export", str(out), "--notes", str(notes)]) == 2  # exists: --force
    assert b'name="pipelines"' in out.read_bytes()
    csv_file = tmp_path / "book.csv"
    assert main(["codebook", "export", str(csv_file), "--notes", str(notes)]) == 0
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf\"name\"")
    other = tmp_path / "other"
    capsys.readouterr()
    assert main(["codebook", "import", str(out), "--notes", str(other)]) == 0
    assert "added tag energy/pipelines with its description" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("name,colour\nfine,#123456\nworse,#zz\n", encoding="utf-8")
    assert main(["codebook", "import", str(bad), "--notes", str(other)]) == 1
    captured = capsys.readouterr()
    assert "added tag fine" in captured.out and "row 3: invalid colour" in captured.err
    assert main(["tags", "--notes", str(notes)]) == 0
    assert "  pipelines  — Gas pipelines" in capsys.readouterr().out
    assert main(["tags", "merge", "energy/pipelines", "energy", "--notes", str(notes)]) == 0
    assert "1 annotation(s) changed" in capsys.readouterr().out
    with Store.open(notes, mode="read") as store:
        assert store.get(ann.id).tags == ("energy",)
    assert main(["tags", "merge", "energy", "--notes", str(notes)]) == 2
