"""Articles' facts on the command line: dossier set, list with dates and outlets, --filter on list and export."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tui.cli import main
from tui.core.corpus import read_article
from tui.core.document import article_ref
from tui.core.notes.store import Store

FIRST = "01_pipeline-deal-signed.txt"
MANIFEST = (
    "file,date,source,section\n"
    f"{FIRST},2024-03-02,,energy\n"
    "02_black-sea-patrols.txt,2019-04-12,,security\n"
    "03_syria-spur-proposal.txt,not a date,,Syria\n"
    "nowhere.txt,2020-01-01,,\n"
    ",2020,,\n"
)
FRONT = "---\ndate: 2020-06-01\nsource: Front Gazette\nlang: en\n---\n# A front-matter article\n\n" + (
    "Ministers met in Baku to talk about the pipeline and the price of gas for the coming winter. " * 3 + "\n"
)
MD = MarkdownIt("commonmark").enable("table")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def corpus(tmp_path, sample_corpus, capsys) -> tuple[Path, str]:
    """The sample, a manifest (good rows, a bad date, a row for no article, a row with no file), a front-matter
    article, and one annotation (energy) on the first article."""
    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    (copy / "dossier.csv").write_text(MANIFEST, encoding="utf-8")
    (copy / "11_front.md").write_text(FRONT, encoding="utf-8")
    notes = str(tmp_path / "notes")
    assert main(["annotate", str(copy / FIRST), "--quote", "signed a long-delayed transit agreement", "--tag", "energy",
                 "--notes", notes]) == 0
    capsys.readouterr()
    return copy, notes


def listed(capsys, corpus: Path, notes: str, expression: str | None = None) -> dict[str, dict]:
    # --filter=EXPR: an expression that opens with a minus ("-untagged") would be taken for an option otherwise
    extra = [] if expression is None else [f"--filter={expression}"]
    status, out, err = run(capsys, "list", str(corpus), "--notes", notes, "--json", *extra)
    assert status == 0, err
    return {article["path"]: article for article in json.loads(out)["articles"]}


# --- list --------------------------------------------------------------------------------------


def test_list_shows_date_outlet_and_the_manifest_warnings(capsys, corpus) -> None:
    root, notes = corpus
    status, out, err = run(capsys, "list", str(root), "--notes", notes)
    assert status == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert rows[FIRST][1:5] == ["2024-03-02", "Caspian Courier", "383 words", "1 annotation"]
    assert rows["03_syria-spur-proposal.txt"][1:3] == ["-", "Levant Ledger"]  # its date was dropped, not guessed
    assert rows["11_front.md"][1:3] == ["2020-06-01", "Front Gazette"]
    assert "dossier.csv" not in rows and "skipped dossier.csv" not in err  # the manifest is read, not skipped
    assert err.splitlines() == [
        "dossier list: dossier.csv, row 4: date: not a date: 'not a date': dropped",
        "dossier list: dossier.csv, row 6: no file named (the 'file' cell is empty): skipped",
        "dossier list: dossier.csv, row 5: no article 'nowhere.txt' in the corpus",
    ]


def test_list_json_gives_every_attribute_with_its_origin(capsys, corpus) -> None:
    root, notes = corpus
    status, out, _ = run(capsys, "list", str(root), "--notes", notes, "--json")
    assert status == 0
    payload = json.loads(out)
    assert len(payload["warnings"]) == 3 and payload["skipped"] == []
    articles = {a["path"]: a for a in payload["articles"]}
    first = articles[FIRST]
    assert {k: first[k] for k in ("date", "source", "author", "url", "language")} == {
        "date": "2024-03-02", "source": "Caspian Courier", "author": first["author"], "url": None, "language": "en"}
    assert first["attributes"]["date"] == {"value": "2024-03-02", "origin": "manifest", "reason": "dossier.csv, row 2"}
    assert first["attributes"]["section"]["value"] == "energy"
    assert first["attributes"]["source"]["origin"] == "text"
    assert articles["05_compressor-blast-inquiry.html"]["attributes"]["date"]["origin"] == "html"
    assert articles["11_front.md"]["attributes"]["source"] == {
        "value": "Front Gazette", "origin": "front-matter", "reason": "front matter: 'source: Front Gazette'"}
    assert articles["09_russian-black-sea-response.txt"]["language"] == "ru"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("source:courier", {FIRST}),
        ('source:"black sea"', {"02_black-sea-patrols.txt"}),
        ("lang:ru", {"09_russian-black-sea-response.txt"}),
        ("date:2019", {"02_black-sea-patrols.txt"}),
        ("date:2019..2020", {"02_black-sea-patrols.txt", "11_front.md"}),
        ("date:2024-03", {FIRST, "07_wire-transit-deal.txt"}),  # 07's from its dateline
        ("date:2024-05..", {"04_greek-landfall-protests.md", "05_compressor-blast-inquiry.html"}),
        ("tag:energy", {FIRST}),
        ("tag:ENERGY section:energy", {FIRST}),
        ("section:security", {"02_black-sea-patrols.txt"}),
        ("untagged lang:en date:..2020", {"02_black-sea-patrols.txt", "11_front.md"}),
        ("-untagged", {FIRST}),
        ("frigates -source:monitor", set()),
        ('title:"gas line"', {"07_wire-transit-deal.txt"}),
        ("Самсун source:вестник", {"09_russian-black-sea-response.txt"}),
        ("samsun -lang:ru", {"02_black-sea-patrols.txt"}),
    ],
)
def test_list_filter_each_field(capsys, corpus, expression, expected) -> None:
    root, notes = corpus
    assert set(listed(capsys, root, notes, expression)) == expected


def test_list_filter_words_and_negation(capsys, corpus) -> None:
    root, notes = corpus
    everything = set(listed(capsys, root, notes))
    wire = set(listed(capsys, root, notes, "source:wire"))
    assert wire == {"05_compressor-blast-inquiry.html", "07_wire-transit-deal.txt"}
    assert set(listed(capsys, root, notes, "-source:wire")) == everything - wire
    assert set(listed(capsys, root, notes, "")) == everything


@pytest.mark.parametrize(
    ("expression", "message"),
    [("date:20x9", "date:20x9: not a date or range"), ("date:2020..2019", "the range ends before it starts"),
     ("source:", "needs a value"), ("untagged:yes", "untagged takes no value")],
)
def test_a_bad_filter_is_one_line(capsys, corpus, expression, message) -> None:
    root, notes = corpus
    for command in ("list", "export"):
        status, out, err = run(capsys, command, str(root), "--notes", notes, "--filter", expression)
        assert status == 2 and out == "" and len(err.splitlines()) == 1
        assert err.startswith(f"dossier {command}: --filter: ") and message in err


# --- set ---------------------------------------------------------------------------------------


def test_set_wins_over_every_extracted_value_and_unset_gives_it_back(capsys, corpus) -> None:
    root, notes = corpus
    article = str(root / FIRST)
    status, out, err = run(capsys, "set", article, "--notes", notes, "--date", "2016-12-20", "--source", "The World",
                           "--author", "Charles Maynes", "--url", "https://theworld.org/stories/x",
                           "--attr", "Press Agency=PRI", "--attr", "section=diplomacy")
    assert status == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[:4] == [["date", "2016-12-20", "analyst"], ["source", "The World", "analyst"],
                         ["author", "Charles Maynes", "analyst"], ["url", "https://theworld.org/stories/x", "analyst"]]
    assert ["press_agency", "PRI", "analyst"] in lines and ["section", "diplomacy", "analyst"] in lines
    first = listed(capsys, root, notes)[FIRST]
    assert first["attributes"]["date"]["origin"] == "analyst" and first["source"] == "The World"
    # an empty value marks the attribute unknown; --unset gives the extracted (here: the manifest's) value back
    assert run(capsys, "set", article, "--notes", notes, "--author", "", "--unset", "date", "--unset", "outlet")[0] == 0
    first = listed(capsys, root, notes)[FIRST]
    assert first["author"] is None and first["attributes"]["author"] == {"value": None, "origin": "analyst",
                                                                          "reason": "cleared by the analyst"}
    assert (first["date"], first["attributes"]["date"]["origin"]) == ("2024-03-02", "manifest")
    assert (first["source"], first["attributes"]["source"]["origin"]) == ("Caspian Courier", "text")
    assert first["annotations"] == 1  # the article's annotation is where it was


def test_set_keeps_the_corpus_of_the_file_and_follows_a_rename(capsys, corpus) -> None:
    root, notes = corpus
    assert run(capsys, "set", str(root / "02_black-sea-patrols.txt"), "--notes", notes, "--corpus", str(root),
               "--source", "BSM")[0] == 0
    (root / "02_black-sea-patrols.txt").rename(root / "02_renamed.txt")
    assert run(capsys, "set", str(root / "02_renamed.txt"), "--notes", notes, "--author", "A. Writer")[0] == 0
    renamed = listed(capsys, root, notes)["02_renamed.txt"]
    assert (renamed["source"], renamed["author"]) == ("BSM", "A. Writer")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--date", "20/12/2016"], "dossier set: date: not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY): '20/12/2016'"),
        (["--date", "2016-02-30"], "not an ISO 8601 date"),
        (["--attr", "section"], "dossier set: --attr 'section': expected KEY=VALUE"),
        (["--attr", "tag=energy"], "'tag' cannot be an attribute"),
        (["--attr", "=x"], "cannot be an attribute name"),
        (["--source", "x", "--unset", "outlet"], "source is both given a value and --unset"),
        ([], "nothing to set"),
        (["--date"], "expected one argument"),
    ],
)
def test_set_refuses_bad_input_in_one_line_and_writes_nothing(capsys, tmp_path, corpus, argv, message) -> None:
    root, _ = corpus
    notes = tmp_path / "fresh-notes"
    status, out, err = run(capsys, "set", str(root / FIRST), "--notes", str(notes), *argv)
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and message in err
    assert not notes.exists()


def test_set_on_a_file_that_is_not_there_or_not_in_the_corpus(capsys, tmp_path, corpus) -> None:
    root, notes = corpus
    status, _, err = run(capsys, "set", str(root / "missing.txt"), "--notes", notes, "--date", "2016")
    assert status == 2 and err == f"dossier: no such file: {root / 'missing.txt'}\n"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    status, _, err = run(capsys, "set", str(root / FIRST), "--notes", notes, "--corpus", str(elsewhere), "--date", "2016")
    assert status == 2 and "is not inside the corpus" in err


# --- export ------------------------------------------------------------------------------------


def annotate(capsys, root: Path, notes: str, name: str, quote: str, tag: str) -> None:
    assert main(["annotate", str(root / name), "--quote", quote, "--tag", tag, "--notes", notes]) == 0
    capsys.readouterr()


def test_export_filter_keeps_only_the_matching_articles(capsys, corpus) -> None:
    root, notes = corpus
    annotate(capsys, root, notes, "02_black-sea-patrols.txt", "summons Moscow’s chargé d’affaires", "security")
    status, out, _ = run(capsys, "export", str(root), "--notes", notes, "--format", "json", "--filter", "date:2019")
    assert status == 0
    items = json.loads(out)["items"]
    assert [item["target"]["source"] for item in items] == ["02_black-sea-patrols.txt"]
    assert items[0]["target"]["article"] == {
        "title": "Russian frigates shadow Meridian survey ship off Turkey’s Black Sea coast", "date": "2019-04-12",
        "source": "Black Sea Monitor", "author": items[0]["target"]["article"]["author"], "url": None, "language": "en"}
    status, out, _ = run(capsys, "export", str(root), "--notes", notes, "--filter", "untagged")
    assert status == 0 and "0 annotations on 0 article(s), articles matching `untagged`" in out
    status, out, _ = run(capsys, "export", str(root), "--notes", notes, "--format", "csv", "--filter=-date:2019")
    assert [row["article"] for row in csv.DictReader(io.StringIO(out, newline=""))] == [FIRST]


def test_export_wide_csv_has_a_column_per_tag(capsys, corpus) -> None:
    root, notes = corpus
    annotate(capsys, root, notes, FIRST, "brushed the remark aside", "diplomacy")
    # another passage: on the same one, annotate adds the tag to its annotation
    assert main(["annotate", str(root / FIRST), "--quote", "about as commercial as it gets", "--tag", "security", "--notes", notes]) == 0
    capsys.readouterr()
    status, out, _ = run(capsys, "export", str(root), "--notes", notes, "--format", "csv", "--wide")
    assert status == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == ["article", "title", "quote", "note", "start", "end", "id", "analyst", "date", "source", "author", "url",
                       "language", "security", "energy", "Syria", "diplomacy"]
    assert len(rows) == 4  # one row per annotation, whatever its number of tags
    flags = sorted(tuple(row[-4:]) for row in rows[1:])
    assert flags == [("0", "0", "0", "1"), ("0", "1", "0", "0"), ("1", "0", "0", "0")]
    status, out, _ = run(capsys, "export", str(root), "--notes", notes, "--format", "csv", "--wide", "--tag", "energy")
    header = next(csv.reader(io.StringIO(out, newline="")))
    assert status == 0 and header[-1:] == ["energy"] and len(out.splitlines()) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--wide"], "--wide goes with --format csv"), (["--format", "json", "--wide"], "--wide goes with --format csv"),
     (["--format", "csv", "--title", "T"], "--title goes with --format md")],
)
def test_export_options_that_do_not_go_together(capsys, corpus, argv, message) -> None:
    root, notes = corpus
    status, _, err = run(capsys, "export", str(root), "--notes", notes, *argv)
    assert status == 2 and message in err and len(err.splitlines()) == 1


def test_the_report_shows_memos_its_title_and_its_filter(capsys, corpus) -> None:
    root, notes = corpus
    article = read_article(root, "02_black-sea-patrols.txt")
    with Store.open(notes) as store:
        store.memos.set_corpus("# Energy and security, 2019–2024\n\nHow did coverage of energy change?\nCode *security* broadly.")
        store.memos.set(article_ref(article), article.text, "Read beside the TASS report.")
    status, out, _ = run(capsys, "export", str(root), "--notes", notes)
    assert status == 0
    tokens = MD.parse(out)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[:3] == ["Energy and security, 2019–2024", "Memo", "Counts"] and headings[-1] == "Sources"
    assert "How did coverage of energy change?\\\nCode \\*security\\* broadly." in out  # its lines kept, Markdown shown as typed
    sources = out[out.index("## Sources"):]
    assert "Memo: Read beside the TASS report." in sources and "no passage in this report" in sources
    status, out, _ = run(capsys, "export", str(root), "--notes", notes, "--title", "Hand-out", "--filter", "source:courier")
    assert out.startswith("# Hand-out\n") and "articles matching `source:courier`" in out
    assert "Read beside the TASS report" not in out  # its article does not match the filter
