"""``dossier export --where EXPR``: only the annotations whose tags satisfy a tag expression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.dated_corpus import make_corpus
from tui.cli import main


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus(tmp_path, tmp_path / "notes")


def quotes(capsys, corpus: Path, *argv: str) -> list[str]:  # type: ignore[no-untyped-def]
    status = main(["export", str(corpus), "--notes", str(corpus.parent / "notes"), "--format", "json", *argv])
    out = capsys.readouterr().out
    assert status == 0
    items = json.loads(out)["items"]
    return [next(s["exact"] for s in item["target"]["selector"] if "exact" in s) for item in items]


def test_where_keeps_the_annotations_whose_tags_satisfy_it(capsys, corpus) -> None:
    assert quotes(capsys, corpus, "--where", "energy AND security") == ["the first gas would flow west"]
    assert quotes(capsys, corpus, "--where", "security AND NOT (energy OR diplomacy)") == ["doubled its patrols in the Black Sea"]
    assert quotes(capsys, corpus, "--where", "syria or DIPLOMACY") == [
        "meant to reassure allies", "A spur of the pipeline to Syria", "resumed in Geneva",
    ]
    # with --tag and --filter: all of them narrow
    assert quotes(capsys, corpus, "--where", "NOT security", "--tag", "energy", "--filter", "source:world") == [
        "signed a long-delayed transit agreement", "A spur of the pipeline to Syria",
    ]


def test_the_report_says_which_annotations_it_holds(capsys, corpus) -> None:
    assert main(["export", str(corpus), "--notes", str(corpus.parent / "notes"), "--where", "energy AND NOT Syria"]) == 0
    report = capsys.readouterr().out
    assert "2 annotations on 1 article(s), annotations whose tags satisfy `energy AND NOT Syria`." in report


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("security AND (Syria OR energy)) AND NOT diplomacy",
         "dossier export: argument --where: unexpected ')' at 31: nothing to close (see dossier export --help)"),
        ("security AND", "dossier export: argument --where: unexpected end at 13: expected a tag name (see dossier export --help)"),
        ("security AND NOT diplomcy", "dossier: --where: unknown tag 'diplomcy'; known tags: security, energy, Syria, diplomacy"),
    ],
)
def test_a_bad_expression_is_one_line_and_exit_status_2(capsys, corpus, expression, message) -> None:
    status = main(["export", str(corpus), "--notes", str(corpus.parent / "notes"), "--where", expression])
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip() == message


def test_the_help_names_the_grammar(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--where EXPR" in out and "AND, OR, NOT and parentheses" in out


def test_list_filters_by_a_tag_expression_over_each_article_s_tags(capsys, corpus) -> None:
    notes = str(corpus.parent / "notes")
    assert main(["list", str(corpus), "--notes", notes, "--filter", "tag:(energy AND NOT Syria)"]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["a_pipeline.txt"]
    # an article-level question: the tags of all its annotations together
    assert main(["list", str(corpus), "--notes", notes, "--filter", "tag:(security AND diplomacy)"]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["b_patrols.txt"]
    assert main(["list", str(corpus), "--notes", notes, "--filter", "tag:(energy AND"]) == 2
    assert capsys.readouterr().err.strip() == "dossier list: --filter: tag:(energy AND: unexpected end at 16: expected a tag name"


def test_without_where_everything_is_exported_and_an_empty_one_is_refused(capsys, corpus) -> None:
    assert len(quotes(capsys, corpus)) == 6
    assert main(["export", str(corpus), "--notes", str(corpus.parent / "notes"), "--where", " "]) == 2
    assert "argument --where: empty expression" in capsys.readouterr().err
