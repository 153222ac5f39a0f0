"""REFI-QDA exchange: ``export --format qdpx`` validates against the schema, opens in pyrefiqda, and imports back the same.

The schema is REFI's ``Project-mrt2019.xsd`` in ``../shared/refi-qda`` (MIT,
outside the repository): the tests that need it skip where it is absent.
Projects written by another tool are made here by hand, in the shapes
QualCoder and NVivo write (one selection per code, Windows line
breaks, nested codes, sources Dossier cannot read).
"""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.codebook_qdc import to_qdc
from tui.core.notes.model import ArticleRef
from tui.core.notes.store import Store
from tui.core.notes.tags import Tag
from tui.core.refi.codes import code_guid, code_path, codebook_element, guid_key, hex_colour, read_codes
from tui.core.refi.write import UNKNOWN_USER

etree = pytest.importorskip("lxml.etree")

XSD = Path(__file__).resolve().parents[1].parent / "shared" / "refi-qda" / "Project-mrt2019.xsd"
FIRST = "01_pipeline-deal-signed.txt"
SECOND = "02_black-sea-patrols.txt"
NS = "{urn:QDA-XML:project:1.0}"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def schema():
    if not XSD.exists():
        pytest.skip(f"the REFI-QDA schema is not on this machine ({XSD})")
    return etree.XMLSchema(etree.parse(str(XSD)))


def project_of(path: Path):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde")), {n: archive.read(n) for n in archive.namelist()}


def text_of(corpus: Path, rel: str) -> str:
    from tui.core.corpus import read_article

    return read_article(corpus, rel).text


@pytest.fixture
def corpus(tmp_path, sample_corpus) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    return copy


@pytest.fixture
def notes(tmp_path, corpus) -> Path:
    """Notes with several tags on a passage, a note, a nested tag, descriptions, memos, an attribute edit, two articles."""
    folder = tmp_path / "notes"
    first, second = text_of(corpus, FIRST), text_of(corpus, SECOND)
    with Store.open(folder, mode="write") as store:
        store.vocabulary.add("energy/pipelines", "#123456", description="Pipelines, built or planned.\nNot their prices.")
        store.vocabulary.add("economy/prices", "red")
        store.vocabulary.edit("security", description="Armed forces & <threats>")
        ref1, ref2 = ArticleRef.of(FIRST, first), ArticleRef.of(SECOND, second)
        for quote, tags, note in (
            ("signed a long-delayed transit agreement", ["energy", "diplomacy"], "the deal\non two lines"),
            ("Meridian gas pipeline", ["energy/pipelines"], ""),
            ("transit", ["economy/prices"], "a word"),
        ):
            start = first.index(quote)
            store.add(ref1, first, start, start + len(quote), tags, note)
        start = second.index("Russian frigates")
        store.add(ref2, second, start, start + len("Russian frigates"), ["security"], "")
        store.memos.set(ref1, first, "# Why this one\n\nThe deal itself.")
        store.memos.set_corpus("# Research question\n\nHow does the pipeline change relations?")
        store.attributes.set(ref1, first, {"author": "A. N. Other"})
    return folder


@pytest.fixture
def exported(tmp_path, corpus, notes, capsys) -> Path:
    path = tmp_path / "project.qdpx"
    status, _, err = run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "qdpx", "-o", str(path))
    assert status == 0, err
    return path


def test_export_validates_against_the_refi_schema(exported) -> None:
    xsd = schema()
    root, _ = project_of(exported)
    assert xsd.validate(root), xsd.error_log


def test_export_holds_decoded_texts_whose_positions_are_the_quotes(exported, corpus) -> None:
    root, members = project_of(exported)
    sources = root.findall(f"{NS}Sources/{NS}TextSource")
    assert [s.get("name") for s in sources] == [FIRST, SECOND]  # only articles with annotations or a memo
    for source in sources:
        member = "sources/" + source.get("plainTextPath").removeprefix("internal://")
        text = members[member].decode("utf-8")
        assert text == text_of(corpus, source.get("name"))
        for selection in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == selection.get("name")
    assert root.findtext(f"{NS}Description").startswith("# Research question")
    memo_ref = sources[0].find(f"{NS}NoteRef").get("targetGUID")
    notes = {n.get("guid"): n.findtext(f"{NS}PlainTextContent") for n in root.iter(f"{NS}Note")}
    assert notes[memo_ref] == "# Why this one\n\nThe deal itself."
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}
    values = {variables[v.find(f"{NS}VariableRef").get("targetGUID")]: v.findtext(f"{NS}TextValue")
              for v in sources[0].iter(f"{NS}VariableValue")}
    assert values["author"] == "A. N. Other" and values["date"] == "2024-03-14"
    assert [u.get("name") for u in root.iter(f"{NS}User")] == [UNKNOWN_USER]


def test_codebook_nests_by_slash_with_colours() -> None:
    tags = [Tag("energy/pipelines", "#123456", ""), Tag("security", "red", ""), Tag("energy", "#abc", "1"), Tag("a//b", "x", "")]
    book = codebook_element(tags)
    top = book.findall(f"{NS}Codes/{NS}Code")
    assert [c.get("name") for c in top] == ["energy", "security", "a//b"]
    energy = top[0]
    assert energy.get("isCodable") == "true" and energy.get("color") == "#abc"  # the tag came after its child
    [child] = energy.findall(f"{NS}Code")
    assert child.get("name") == "pipelines" and child.get("guid") == code_guid("energy/pipelines")
    assert top[1].get("color") == "#ff0000" and top[2].get("color") is None
    assert code_path("a//b") == ["a//b"] and hex_colour("nonsense") is None


def test_a_folder_of_codes_is_a_tag_only_if_passages_are_coded_with_it() -> None:
    folder = g()
    codes = etree.fromstring(f'''<Codes xmlns="urn:QDA-XML:project:1.0">
      <Code guid="{folder}" name="Energy" isCodable="false"><Code guid="{g()}" name="{'Oil ' * 12}" isCodable="true"/></Code>
    </Codes>''')
    entries, problems = read_codes(codes)
    assert [e.name for e in entries] == ["Energy/" + ("Oil " * 10).strip()] and "longer than a tag's 40" in problems[0]
    entries, _ = read_codes(codes, {guid_key(folder)})
    assert [e.name for e in entries] == ["Energy", "Energy/" + ("Oil " * 10).strip()] and entries[0].guid == folder


def test_export_qdpx_needs_an_output_file(capsys, corpus, notes) -> None:
    status, _, err = run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "qdpx")
    assert status == 2 and "-o FILE" in err and len(err.strip().splitlines()) == 1


def annotations_of(folder: Path) -> list[dict]:
    with Store.open(folder, mode="read") as store:
        found = [{**a.to_dict(), "analyst": getattr(a, "analyst", None)} for a in store.all_annotations()]
        return sorted(found, key=lambda d: d["id"])


def test_round_trip_gives_the_same_notes(tmp_path, capsys, corpus, notes, exported) -> None:
    fresh = tmp_path / "fresh"
    status, out, err = run(capsys, "import", str(exported), str(corpus), "--notes", str(fresh))
    assert status == 0, err
    assert "imported 4 annotation(s)" in out and "0 orphan(s)" in out
    assert annotations_of(fresh) == annotations_of(notes)
    with Store.open(notes, mode="read") as before, Store.open(fresh, mode="read") as after:
        # Keys do not travel (REFI-QDA has none) and a child code comes after its parent: names, colours, descriptions do.
        assert [(t.name, hex_colour(t.colour)) for t in after.tags()] == [
            ("security", "#d9534f"), ("energy", "#f0ad4e"), ("energy/pipelines", "#123456"), ("Syria", "#5cb85c"),
            ("diplomacy", "#5bc0de"), ("economy/prices", "#ff0000")]
        assert {(t.name, hex_colour(t.colour), t.description) for t in after.tags()} == {
            (t.name, hex_colour(t.colour), t.description) for t in before.tags()}
        assert after.vocabulary.get("energy/pipelines").description == "Pipelines, built or planned.\nNot their prices."
        assert after.memos.corpus() == before.memos.corpus()  # the descriptions are the tags', not the memo's
        assert after.memos.of(FIRST) == before.memos.of(FIRST)
        assert after.attributes.of(FIRST) == {"author": "A. N. Other"}  # only what differs from the article's own facts
        assert after.attributes.of(SECOND) == {}
    status, out, _ = run(capsys, "import", str(exported), str(corpus), "--notes", str(fresh))
    assert status == 0 and "imported 0 annotation(s); 4 already present" in out
    with Store.open(fresh, mode="read") as after:
        assert after.memos.of(FIRST) == "# Why this one\n\nThe deal itself."  # not twice


def test_pyrefiqda_reads_every_selection_as_dossiers_quote(tmp_path, exported, notes) -> None:
    pyrefiqda = pytest.importorskip("pyrefiqda")
    project = pyrefiqda.RefiProject.load(exported, extract_dir=str(tmp_path / "extracted"))
    quotes = {a["id"]: a["target"]["exact"] for a in annotations_of(notes)}
    seen = set()
    for source in project.sources.text_source:
        path = pyrefiqda.RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "extracted")
        text = path.read_bytes().decode("utf-8")
        for selection in source.plain_text_selection:
            assert text[selection.start_position : selection.end_position] == quotes[selection.guid]
            seen.add(selection.guid)
    assert seen == set(quotes)


def test_import_follows_renamed_and_edited_articles_and_keeps_the_rest(tmp_path, capsys, corpus, exported) -> None:
    (corpus / FIRST).rename(corpus / "renamed.txt")  # found by its text
    second = (corpus / SECOND).read_text(encoding="utf-8")
    (corpus / SECOND).write_text("A new first paragraph.\n\n" + second, encoding="utf-8")  # found by name, re-anchored
    fresh = tmp_path / "fresh"
    status, out, err = run(capsys, "import", str(exported), str(corpus), "--notes", str(fresh))
    assert status == 0, err
    assert "1 re-anchored by quote" in out
    found = annotations_of(fresh)
    assert {a["article"]["path"] for a in found} == {"renamed.txt", SECOND}
    for ann in found:
        text = text_of(corpus, ann["article"]["path"])
        assert text[ann["target"]["start"] : ann["target"]["end"]] == ann["target"]["exact"] and not ann["orphan"]


def test_a_source_with_no_article_keeps_its_selections_as_orphans(tmp_path, capsys, corpus, exported) -> None:
    (corpus / SECOND).unlink()
    fresh = tmp_path / "fresh"
    status, out, err = run(capsys, "import", str(exported), str(corpus), "--notes", str(fresh))
    assert status == 0, err
    assert f"source '{SECOND}' matches no article" in err and "1 orphan(s)" in out
    [orphan] = [a for a in annotations_of(fresh) if a["article"]["path"] == SECOND]
    assert orphan["orphan"] and orphan["target"]["exact"] == "Russian frigates" and orphan["tags"] == ["security"]
    status, out, _ = run(capsys, "export", str(corpus), "--notes", str(fresh), "--format", "json")
    assert any(item.get("orphan") for item in json.loads(out)["items"])  # listed, as every orphan is


def other_tool_project(path: Path, corpus: Path, qde: str, members: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


def g() -> str:
    return "{" + str(uuid.uuid4()).upper() + "}"  # NVivo writes braces and capitals


def test_import_a_project_another_tool_wrote(tmp_path, capsys, corpus) -> None:
    # Windows line breaks in the source's file (positions count the \r); inline XML text would have lost them.
    text = text_of(corpus, FIRST).replace("\n", "\r\n")
    quote = "signed a long-delayed transit agreement"
    start = text.index(quote)
    users = {"ana": g(), "ben": g()}
    parent, child, other, note, memo, source, variable = g(), g(), g(), g(), g(), g(), g()
    sel1, sel2, sel3 = g(), g(), g()
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Other tool">
  <Users><User guid="{users['ana']}" name="ana"/><User guid="{users['ben']}" name="ben"/></Users>
  <CodeBook><Codes>
    <Code guid="{parent}" name="Energy" isCodable="false">
      <Code guid="{child}" name="Pipelines" isCodable="true" color="#00AA00"><Description>Any pipeline</Description></Code>
    </Code>
    <Code guid="{other}" name="Turkey" isCodable="true"/>
  </Codes></CodeBook>
  <Variables><Variable guid="{variable}" name="Source" typeOfVariable="Text"/></Variables>
  <Sources>
    <TextSource guid="{source}" name="{Path(FIRST).stem}" plainTextPath="internal://{source[1:-1]}.txt">
      <PlainTextSelection guid="{sel1}" startPosition="{start}" endPosition="{start + len(quote)}" creatingUser="{users['ana']}">
        <Coding guid="{g()}"><CodeRef targetGUID="{child}"/><NoteRef targetGUID="{note}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{sel2}" startPosition="{start}" endPosition="{start + len(quote)}" creatingUser="{users['ana']}">
        <Coding guid="{g()}"><CodeRef targetGUID="{other}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{sel3}" startPosition="{start}" endPosition="{start + len(quote)}" creatingUser="{users['ben']}">
        <Coding guid="{g()}"><CodeRef targetGUID="{other}"/></Coding>
      </PlainTextSelection>
      <NoteRef targetGUID="{memo}"/>
      <VariableValue><VariableRef targetGUID="{variable}"/><TextValue>Some Outlet</TextValue></VariableValue>
    </TextSource>
    <PDFSource guid="{g()}" name="scan.pdf" path="internal://x.pdf"/>
  </Sources>
  <Notes>
    <Note guid="{note}" name="n"><PlainTextContent>why pipelines</PlainTextContent></Note>
    <Note guid="{memo}" name="m"><PlainTextContent>a memo from elsewhere</PlainTextContent></Note>
  </Notes>
  <Sets><Set guid="{g()}" name="a set"/></Sets>
</Project>"""
    path = other_tool_project(tmp_path / "other.qdpx", corpus, qde, {f"sources/{source[1:-1]}.txt": text.encode()})
    fresh = tmp_path / "fresh"
    status, _, err = run(capsys, "import", str(path), str(corpus), "--notes", str(fresh))
    assert status == 0, err
    assert "skipped PDF source 'scan.pdf'" in err and "1 set(s)" in err
    found = annotations_of(fresh)
    by_id = {a["id"]: a for a in found}
    one = by_id[str(uuid.UUID(sel1))]
    exact = text_of(corpus, FIRST)
    assert exact[one["target"]["start"] : one["target"]["end"]] == quote and one["article"]["path"] == FIRST
    assert len(found) == 2  # ana's two selections on one span are one annotation; ben's is his own
    assert one["tags"] == ["Energy/Pipelines", "Turkey"] and one["analyst"] == "ana"
    assert one["note"] == "why pipelines"
    with Store.open(fresh, mode="read") as store:
        tags = {t.name: t.colour for t in store.tags()}
        assert tags == {"Energy/Pipelines": "#00aa00", "Turkey": "grey"}  # the folder "Energy" is no tag
        assert store.memos.of(FIRST) == "a memo from elsewhere"
        assert store.attributes.of(FIRST) == {"source": "Some Outlet"}
        assert store.vocabulary.get("Energy/Pipelines").description == "Any pipeline"
        assert "Any pipeline" not in store.memos.corpus()
    assert "added tag Energy/Pipelines with its description" in err


def shape(element) -> tuple:
    """An element as comparable data, without its namespace: name, attributes, text, children."""
    return (etree.QName(element).localname, sorted(element.attrib.items()), (element.text or "").strip(),
            [shape(child) for child in element])


def test_qdc_and_qdpx_write_the_same_codes(exported, notes) -> None:
    root, _ = project_of(exported)
    with Store.open(notes, mode="read") as store:
        qdc = etree.fromstring(to_qdc(store.tags()))
    assert shape(qdc.find("{*}Codes")) == shape(root.find(f"{NS}CodeBook/{NS}Codes"))
    assert "Armed forces &amp; &lt;threats&gt;" in etree.tostring(qdc).decode()


def test_import_gives_a_description_only_to_a_tag_that_has_none(tmp_path, capsys, corpus, exported) -> None:
    mine = tmp_path / "mine"
    with Store.open(mine, mode="write") as store:
        store.vocabulary.add("Energy/Pipelines", "teal", description="My own rule")
    status, _, err = run(capsys, "import", str(exported), str(corpus), "--notes", str(mine))
    assert status == 0, err
    assert "dossier import: tag security: description set from the project" in err
    assert "dossier import: tag Energy/Pipelines: keeps its own description; the project's is not imported" in err
    with Store.open(mine, mode="read") as store:
        assert store.vocabulary.get("security").description == "Armed forces & <threats>"
        assert store.vocabulary.get("energy/pipelines") == Tag("Energy/Pipelines", "teal", "5", "My own rule")
        assert store.vocabulary.get("economy/prices").description == ""
        assert "rule" not in store.memos.corpus() and "Armed" not in store.memos.corpus()
    status, _, err = run(capsys, "import", str(exported), str(corpus), "--notes", str(mine))
    assert status == 0 and "security" not in err  # the second time, nothing to set


def test_import_of_a_json_export_refuses_a_corpus(tmp_path, capsys, corpus, notes) -> None:
    path = tmp_path / "e.json"
    assert run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json", "-o", str(path))[0] == 0
    status, _, err = run(capsys, "import", str(path), str(corpus), "--notes", str(tmp_path / "x"))
    assert status == 2 and "CORPUS goes with a .qdpx" in err


def test_an_orphan_travels_as_a_project_note(tmp_path, capsys, corpus, exported) -> None:
    (corpus / SECOND).unlink()
    fresh = tmp_path / "fresh"
    assert run(capsys, "import", str(exported), str(corpus), "--notes", str(fresh))[0] == 0
    again = tmp_path / "again.qdpx"
    status, _, err = run(capsys, "export", str(corpus), "--notes", str(fresh), "--format", "qdpx", "-o", str(again))
    assert status == 0 and "1 orphaned annotation(s)" in err
    root, _ = project_of(again)
    [ref] = root.findall(f"{NS}NoteRef")
    note = next(n for n in root.iter(f"{NS}Note") if n.get("guid") == ref.get("targetGUID"))
    assert "Quote: Russian frigates" in note.findtext(f"{NS}PlainTextContent")
    if XSD.exists():
        assert schema().validate(root)
