"""Class 10: a REFI-QDA project made to attack, or just broken.

``dossier import FILE.qdpx`` reads a zip and XML another tool, or an
attacker, wrote. Each case must end in one line on stderr and exit 2
before the notes are touched (a bad zip, a member named outside the project,
a zip bomb, entity expansion, malformed XML), or, for a project that is
merely wrong in places (a selection beyond its text, a text outside the
project), in an import that says what it could not place and keeps what it can.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.refi import archive

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tui" / "sample"
FIRST = "01_pipeline-deal-signed.txt"
SOURCE = "3f1b4c2e-0000-4000-8000-000000000001"
SELECTION = "3f1b4c2e-0000-4000-8000-000000000002"
CODE = "3f1b4c2e-0000-4000-8000-000000000003"


@pytest.fixture
def corpus(tmp_path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(SAMPLE, copy)
    return copy


def refused(capsys, path: Path, corpus: Path, notes: Path) -> str:
    """Import ``path``: it must be refused in one line, exit 2, and leave no notes folder."""
    status = main(["import", str(path), str(corpus), "--notes", str(notes)])
    out, err = capsys.readouterr()
    assert status == 2 and not out, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert not notes.exists()
    return err


def project(selection: str = 'startPosition="0" endPosition="7" name="Ankara "', text_path: str = f"internal://{SOURCE}.txt") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <CodeBook><Codes><Code guid="{CODE}" name="energy" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{SOURCE}" name="{FIRST}" plainTextPath="{text_path}">
    <PlainTextSelection guid="{SELECTION}" {selection}>
      <Coding guid="{CODE[:-1]}9"><CodeRef targetGUID="{CODE}"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
</Project>"""


def qdpx(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def test_a_member_named_outside_the_project_is_refused(tmp_path, capsys, corpus) -> None:
    path = qdpx(tmp_path / "evil.qdpx", {"project.qde": project(), "../../evil.txt": "x"})
    err = refused(capsys, path, corpus, tmp_path / "notes")
    assert "'../../evil.txt'" in err and "outside the project" in err
    assert not (tmp_path.parent / "evil.txt").exists()


def test_an_absolute_member_name_is_refused(tmp_path, capsys, corpus) -> None:
    path = qdpx(tmp_path / "evil.qdpx", {"project.qde": project(), "/etc/evil": "x"})
    assert "outside the project" in refused(capsys, path, corpus, tmp_path / "notes")


def test_a_zip_bomb_is_refused_not_unpacked(tmp_path, capsys, corpus, monkeypatch) -> None:
    monkeypatch.setattr(archive, "MAX_SOURCE", 1024**2)  # the real limit is 256 MB: the same rule, a smaller file
    path = qdpx(tmp_path / "bomb.qdpx", {"project.qde": project(), f"sources/{SOURCE}.txt": b"A" * (3 * 1024**2)})
    assert path.stat().st_size < 50_000  # compressed 3 MB of one letter: the shape of a bomb
    err = refused(capsys, path, corpus, tmp_path / "notes")
    assert f"sources/{SOURCE}.txt" in err and "more than the 1 MB" in err


def test_a_member_that_lies_about_its_size_is_stopped_while_read(tmp_path, capsys, corpus, monkeypatch) -> None:
    monkeypatch.setattr(archive, "MAX_PROJECT", 4096)
    path = qdpx(tmp_path / "lie.qdpx", {"project.qde": project() + " " * 10_000})
    raw = bytearray(path.read_bytes())
    # Declare 100 bytes uncompressed in the central directory: zipfile then stops at 100 and reports the damage.
    at = raw.rfind(b"PK\x01\x02")
    raw[at + 24 : at + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    err = refused(capsys, path, corpus, tmp_path / "notes")
    assert "project.qde: cannot be unpacked" in err  # never more than it declared, so never more than the limit


def test_entity_expansion_is_refused(tmp_path, capsys, corpus) -> None:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    laughs = f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY l0 "lol">{entities}]><Project name="&l9;"/>'
    path = qdpx(tmp_path / "laughs.qdpx", {"project.qde": laughs})
    assert "declares a DTD" in refused(capsys, path, corpus, tmp_path / "notes")


def test_an_external_entity_is_refused(tmp_path, capsys, corpus) -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]><Project name="&e;"/>'
    path = qdpx(tmp_path / "xxe.qdpx", {"project.qde": xxe})
    err = refused(capsys, path, corpus, tmp_path / "notes")
    assert "declares a DTD" in err and "root:" not in err


def test_malformed_xml_is_one_line(tmp_path, capsys, corpus) -> None:
    path = qdpx(tmp_path / "broken.qdpx", {"project.qde": "<Project name='p'>\n<Sources>\n</Project>"})
    assert "not well-formed XML" in refused(capsys, path, corpus, tmp_path / "notes")


@pytest.mark.parametrize(("members", "expected"), [
    ({"notes.txt": "x"}, "no project.qde"),
    ({"a.qde": "<Project name='a'/>", "b.qde": "<Project name='b'/>"}, "2 project.qde"),
    ({"project.qde": "<Other/>"}, "not a REFI-QDA <Project>"),
])
def test_a_zip_that_is_no_project_is_one_line(tmp_path, capsys, corpus, members, expected) -> None:
    path = qdpx(tmp_path / "odd.qdpx", members)
    assert expected in refused(capsys, path, corpus, tmp_path / "notes")


def test_a_file_named_qdpx_that_is_no_zip_is_one_line(tmp_path, capsys, corpus) -> None:
    path = tmp_path / "fake.qdpx"
    path.write_text('{"type": "AnnotationCollection"}')
    assert "a .qdpx is a zip file" in refused(capsys, path, corpus, tmp_path / "notes")


def imported(capsys, path: Path, corpus: Path, notes: Path) -> tuple[str, str]:
    status = main(["import", str(path), str(corpus), "--notes", str(notes)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "Traceback" not in err
    return out, err


def test_a_selection_beyond_its_text_is_reported_and_found_by_its_quote(tmp_path, capsys, corpus) -> None:
    text = (corpus / FIRST).read_text(encoding="utf-8")
    path = qdpx(tmp_path / "p.qdpx", {
        "project.qde": project(f'startPosition="{len(text) + 5}" endPosition="{len(text) + 90}" name="Meridian gas pipeline"'),
        f"sources/{SOURCE}.txt": text,
    })
    out, err = imported(capsys, path, corpus, tmp_path / "notes")
    assert f"positions {len(text) + 5}-{len(text) + 90} are outside its source's" in err
    assert "imported 1 annotation(s)" in out


def test_a_selection_with_no_quote_at_all_is_reported_with_what_it_held(tmp_path, capsys, corpus) -> None:
    path = qdpx(tmp_path / "p.qdpx", {
        "project.qde": project('startPosition="999999" endPosition="9999999"'),
        f"sources/{SOURCE}.txt": (corpus / FIRST).read_text(encoding="utf-8"),
    })
    out, err = imported(capsys, path, corpus, tmp_path / "notes")
    assert "cannot be placed and holds no quote: not imported (codes: energy" in err
    assert "imported 0 annotation(s)" in out


def test_a_text_outside_the_project_is_never_read(tmp_path, capsys, corpus) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Ankara secret", encoding="utf-8")
    path = qdpx(tmp_path / "p.qdpx", {"project.qde": project(text_path=f"file://{secret}")})
    _, err = imported(capsys, path, corpus, tmp_path / "notes")
    assert "is outside the project, not read" in err


def test_a_selection_end_before_its_start_is_reported(tmp_path, capsys, corpus) -> None:
    path = qdpx(tmp_path / "p.qdpx", {
        "project.qde": project('startPosition="50" endPosition="10"'),
        f"sources/{SOURCE}.txt": (corpus / FIRST).read_text(encoding="utf-8"),
    })
    _, err = imported(capsys, path, corpus, tmp_path / "notes")
    assert "positions 50-10 are outside" in err and "not imported" in err
