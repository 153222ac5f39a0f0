"""``list`` and ``export`` answer from the corpus cache: a second run cleans nothing it cleaned before.

The cleaning functions are replaced by ones that fail the test once the
cache is warm, so "never re-clean an unchanged article" is checked, not
timed. Counts come from the cache's index of the notes, checked against
what the store holds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.pilot import SAMPLE
from tui.cli import main
from tui.core.cache import analyse as analyse_module
from tui.core.cache import refresh
from tui.core.export import sources
from tui.core.notes.store import Store


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.fixture
def notes(tmp_path, corpus, capsys) -> Path:
    folder = tmp_path / "notes"
    for quote, tag in (("signed a long-delayed transit agreement", "energy"), ("clearing the last legal obstacle", "security")):
        assert main(["annotate", str(corpus / "01_pipeline-deal-signed.txt"), "--quote", quote, "--tag", tag, "--notes", str(folder)]) == 0
    capsys.readouterr()
    return folder


def forbid_cleaning(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged article was cleaned again")

    monkeypatch.setattr(refresh, "analyse", no)
    monkeypatch.setattr(analyse_module, "analyse", no)
    monkeypatch.setattr(sources, "clean_document", no)


def run(capsys, *argv: str) -> str:  # type: ignore[no-untyped-def]
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_a_second_list_cleans_nothing_and_says_the_same(corpus, notes, capsys, monkeypatch) -> None:
    first = json.loads(run(capsys, "list", str(corpus), "--notes", str(notes), "--json"))
    forbid_cleaning(monkeypatch)
    second = json.loads(run(capsys, "list", str(corpus), "--notes", str(notes), "--json"))
    assert second == first
    counts = {a["path"]: a["annotations"] for a in second["articles"]}
    with Store.open(notes, mode="read") as store:
        assert counts == {a["path"]: len(store.annotations(a["path"])) for a in second["articles"]}
    assert counts["01_pipeline-deal-signed.txt"] == 2


def test_a_second_export_cleans_nothing_and_writes_the_same_report(corpus, notes, capsys, monkeypatch) -> None:
    first = run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json")
    forbid_cleaning(monkeypatch)
    second = run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json")
    assert json.loads(second)["items"] == json.loads(first)["items"]
    report = run(capsys, "export", str(corpus), "--notes", str(notes))
    assert "signed a long-delayed transit agreement" in report and "paragraph" in report


def test_an_edited_file_is_cleaned_again_and_its_notes_follow(corpus, notes, capsys) -> None:
    run(capsys, "list", str(corpus), "--notes", str(notes), "--json")
    path = corpus / "01_pipeline-deal-signed.txt"
    path.write_text("A new first paragraph, written later.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    items = json.loads(run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json"))["items"]
    text = path.read_text(encoding="utf-8")
    for item in items:
        position = next(s for s in item["target"]["selector"] if s["type"] == "TextPositionSelector")
        quote = next(s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector")
        assert text[position["start"] : position["end"]] == quote["exact"]  # re-anchored in memory on the new text


def test_a_filter_on_words_reads_the_cached_text(corpus, notes, capsys, monkeypatch) -> None:
    run(capsys, "list", str(corpus), "--notes", str(notes), "--json")
    forbid_cleaning(monkeypatch)
    found = json.loads(run(capsys, "list", str(corpus), "--notes", str(notes), "--json", "--filter", "frigates"))
    assert [a["path"] for a in found["articles"]] == ["02_black-sea-patrols.txt"]
    tagged = json.loads(run(capsys, "list", str(corpus), "--notes", str(notes), "--json", "--filter", "tag:energy"))
    assert [a["path"] for a in tagged["articles"]] == ["01_pipeline-deal-signed.txt"]
