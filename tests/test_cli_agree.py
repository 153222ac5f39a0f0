"""``dossier agree`` end to end: notes written with annotate, read through the corpus cache.

Until annotations carry their analyst, every one is "unknown"; the tests
with two analysts name each annotation's analyst in its note and have
:func:`tui.core.agreement.analyst_of` read it from there, which is the one
place the command asks.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.cli import main
from tui.cli_agree import NOBODY
from tui.core import agreement
from tui.core.document import open_document

PIPELINE = "01_pipeline-deal-signed.txt"
PATROLS = "02_black-sea-patrols.txt"


@pytest.fixture
def corpus(tmp_path: Path, sample_corpus: Path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    return copy


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def annotate(capsys: pytest.CaptureFixture[str], corpus: Path, notes: Path, rel: str, quote: str, tag: str, analyst: str) -> None:
    """``dossier annotate`` as ``analyst`` (none given: the notes' default, ``unattributed``)."""
    who = ["--analyst", analyst] if analyst else []
    status, _, err = run(capsys, "annotate", str(corpus / rel), "--quote", quote, "--tag", tag, *who, "--notes", str(notes))
    assert status == 0, err


@pytest.fixture
def two_analysts(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path) -> Path:
    """alice and bob agree on one passage's energy; only alice tags diplomacy; only bob annotates the second article."""
    notes = tmp_path / "notes"
    annotate(capsys, corpus, notes, PIPELINE, "signed a long-delayed transit agreement", "energy", "alice")
    annotate(capsys, corpus, notes, PIPELINE, "Turkey and Azerbaijan signed", "energy", "bob")
    annotate(capsys, corpus, notes, PIPELINE, "brushed the remark aside", "diplomacy", "alice")
    annotate(capsys, corpus, notes, PATROLS, "Russian frigates shadow Meridian survey ship", "security", "bob")
    return notes


def test_notes_without_analysts_have_nothing_to_compare(capsys, corpus: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    annotate(capsys, corpus, notes, PIPELINE, "signed a long-delayed transit agreement", "energy", "")
    annotate(capsys, corpus, notes, PIPELINE, "brushed the remark aside", "diplomacy", "")
    status, out, err = run(capsys, "agree", str(corpus), "--notes", str(notes))
    assert status == 0 and err == ""
    assert out == f"dossier agree: {NOBODY} (no annotation in these notes names its analyst)\n"
    status, out, err = run(capsys, "agree", str(corpus), "--notes", str(notes), "--json")
    assert status == 0 and NOBODY in err
    assert json.loads(out) == {"unit": "paragraph", "analysts": [agreement.UNKNOWN], "tags": {}, "disagreements": []}


def test_two_analysts_as_json(capsys, corpus: Path, two_analysts: Path) -> None:
    status, out, err = run(capsys, "agree", str(corpus), "--notes", str(two_analysts), "--json")
    assert status == 0, err
    payload = json.loads(out)
    assert set(payload) == {"unit", "analysts", "tags", "disagreements"}
    assert payload["unit"] == "paragraph" and payload["analysts"] == ["alice", "bob"]
    units = sum(len(agreement.document_units(open_document(corpus, rel))) for rel in (PIPELINE, PATROLS))
    assert list(payload["tags"]) == ["security", "energy", "diplomacy"]  # the vocabulary's order
    energy = payload["tags"]["energy"]
    assert energy["units"] == units and energy["coded"] == {"alice": 1, "bob": 1}
    assert energy["agreement"] == 1.0 and energy["kappa"] == 1.0 and energy["alpha"] == 1.0
    diplomacy = payload["tags"]["diplomacy"]
    assert diplomacy["coded"] == {"alice": 1, "bob": 0} and diplomacy["kappa"] == 0.0
    assert diplomacy["agreement"] == pytest.approx((units - 1) / units)
    # Offsets in the source text: each disagreement is a whole paragraph holding the quote.
    texts = {rel: (corpus / rel).read_text(encoding="utf-8") for rel in (PIPELINE, PATROLS)}
    found = {(d["article"], d["tag"], tuple(d["coded_by"])) for d in payload["disagreements"]}
    assert found == {(PIPELINE, "diplomacy", ("alice",)), (PATROLS, "security", ("bob",))}
    for d in payload["disagreements"]:
        passage = texts[d["article"]][d["start"] : d["end"]]
        assert ("brushed the remark aside" if d["tag"] == "diplomacy" else "Russian frigates shadow") in passage
        assert passage == passage.strip() and "\n" not in passage


def test_the_table(capsys, corpus: Path, two_analysts: Path) -> None:
    status, out, _ = run(capsys, "agree", str(corpus), "--notes", str(two_analysts), "--unit", "sentence")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("Agreement of alice and bob by sentence: 2 articles, ")
    assert lines[2].split() == ["tag", "sentences", "alice", "bob", "agreement", "kappa", "alpha"]
    energy = next(line for line in lines if line.startswith("energy"))
    assert energy.split()[2:] == ["1", "1", "100.0%", "1.000", "1.000"]
    overall = next(line for line in lines if line.startswith("all tags"))
    assert overall.split()[3:5] == ["2", "2"]  # alice: energy, diplomacy; bob: energy, security
    assert "2 disagreements (source offsets):" in lines
    assert any(line.startswith(PIPELINE) and "diplomacy\tcoded by alice" in line for line in lines)


def test_choosing_analysts_and_tags(capsys, corpus: Path, two_analysts: Path) -> None:
    status, out, err = run(
        capsys, "agree", str(corpus), "--notes", str(two_analysts), "--analysts", "alice, carl", "--tag", "energy", "--json"
    )
    assert status == 0
    assert err == "dossier agree: warning: no annotation by carl in these notes\n"
    payload = json.loads(out)
    assert payload["analysts"] == ["alice", "carl"] and list(payload["tags"]) == ["energy"]
    # Only the article alice annotated counts; carl coded nothing, so every paragraph alice coded is a disagreement.
    assert payload["tags"]["energy"]["units"] == len(agreement.document_units(open_document(corpus, PIPELINE)))
    assert payload["tags"]["energy"]["coded"] == {"alice": 1, "carl": 0}
    assert [d["coded_by"] for d in payload["disagreements"]] == [["alice"]]
    status, out, _ = run(capsys, "agree", str(corpus), "--notes", str(two_analysts), "--analysts", "bob")
    assert status == 0 and out.startswith(f"dossier agree: {NOBODY}")


def test_cleaning_overrides_change_the_units(capsys, corpus: Path, two_analysts: Path) -> None:
    from tui.core.document import article_ref
    from tui.core.notes.store import Store

    document = open_document(corpus, PIPELINE)
    dropped = document.cleaned.kept[-1]  # the last kept line, which nobody annotated
    with Store.open(two_analysts, mode="write") as store:
        store.set_override(article_ref(document.article), document.text, dropped.n, False)
    status, out, _ = run(capsys, "agree", str(corpus), "--notes", str(two_analysts), "--tag", "energy", "--json", "--analysts", "alice,bob")
    assert status == 0
    before = sum(len(agreement.document_units(open_document(corpus, rel))) for rel in (PIPELINE, PATROLS))
    assert json.loads(out)["tags"]["energy"]["units"] == before - 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--analysts", " , "], "dossier agree: --analysts: name at least two analysts"),
        (["--unit", "word"], "dossier agree: argument --unit: invalid choice"),
    ],
)
def test_bad_options_are_one_line(capsys, corpus: Path, tmp_path: Path, argv: list[str], message: str) -> None:
    status, out, err = run(capsys, "agree", str(corpus), "--notes", str(tmp_path / "notes"), *argv)
    assert status == 2 and out == "" and err.startswith(message) and err.count("\n") == 1


def test_no_notes_is_one_line(capsys, corpus: Path, tmp_path: Path) -> None:
    status, out, err = run(capsys, "agree", str(corpus), "--notes", str(tmp_path / "nothing"))
    assert status == 2 and out == ""
    assert err.startswith("dossier agree: no notes in ") and err.count("\n") == 1
