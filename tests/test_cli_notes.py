"""annotate, export and doctor on the command line, end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path, sample_corpus) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    return copy


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_annotate_then_export_json(capsys, corpus, tmp_path) -> None:
    notes = str(tmp_path / "notes")
    article = corpus / "01_pipeline-deal-signed.txt"
    status, out, err = run(capsys, "annotate", str(article), "--quote", "signed a long-delayed transit agreement",
                           "--tag", "energy", "--tag", "diplomacy", "--note", "the deal", "--notes", notes)
    assert status == 0, err
    annotation_id = out.strip()
    assert len(annotation_id) == 36

    status, out, _ = run(capsys, "export", str(corpus), "--notes", notes, "--format", "json")
    payload = json.loads(out)
    assert set(payload) == {"type", "total", "vocabulary", "items"} and payload["total"] == 1  # issue 15: the vocabulary
    item = payload["items"][0]
    assert item["id"] == f"urn:uuid:{annotation_id}" and item["type"] == "Annotation"
    assert item["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "energy"},
        {"type": "TextualBody", "purpose": "tagging", "value": "diplomacy"},
        {"type": "TextualBody", "purpose": "commenting", "value": "the deal"},
    ]
    quote, position = item["target"]["selector"]
    text = article.read_text(encoding="utf-8")
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "signed a long-delayed transit agreement"
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert quote["prefix"] == text[position["start"] - 32 : position["start"]]
    assert item["target"]["source"] == "01_pipeline-deal-signed.txt" and "orphan" not in item

    status, out, _ = run(capsys, "list", str(corpus), "--notes", notes, "--json")
    counts = {a["path"]: a["annotations"] for a in json.loads(out)["articles"]}
    assert counts["01_pipeline-deal-signed.txt"] == 1


def test_export_flags_orphans_and_follows_renames(capsys, corpus, tmp_path) -> None:
    notes = str(tmp_path / "notes")
    article = corpus / "01_pipeline-deal-signed.txt"
    run(capsys, "annotate", str(article), "--quote", "signed a long-delayed transit agreement", "--tag", "energy", "--notes", notes)
    run(capsys, "annotate", str(article), "--quote", "brushed the remark aside", "--tag", "diplomacy", "--notes", notes)
    text = article.read_text(encoding="utf-8")
    article.unlink()
    edited = text.replace("brushed the remark aside", "dismissed the comment entirely")
    (corpus / "renamed.txt").write_text("A new first line.\n" + edited, encoding="utf-8")
    status, out, _ = run(capsys, "export", str(corpus), "--notes", notes, "--format", "json")
    assert status == 0
    items = json.loads(out)["items"]
    assert len(items) == 2
    # the path changed *and* the text changed, but most of what was quoted is still there in its
    # surroundings: the same article, edited and renamed; the quote that is gone is an orphan
    assert {item["target"]["source"] for item in items} == {"renamed.txt"}
    assert [item.get("orphan", False) for item in items] == [False, True]

    # an article that is gone, with no article like it: its notes are kept as orphans under the old path
    (corpus / "renamed.txt").unlink()
    items = json.loads(run(capsys, "export", str(corpus), "--notes", notes, "--format", "json")[1])["items"]
    assert {item["target"]["source"] for item in items} == {"01_pipeline-deal-signed.txt"}
    assert all(item["orphan"] for item in items)

    # a pure rename (same text) keeps its annotations under the new path
    (corpus / "moved.txt").write_text(text, encoding="utf-8")
    items = json.loads(run(capsys, "export", str(corpus), "--notes", notes, "--format", "json")[1])["items"]
    assert {item["target"]["source"] for item in items} == {"moved.txt"}

    # an edit in place re-anchors; a quote that is gone becomes an orphan
    (corpus / "moved.txt").write_text("Inserted line.\n" + edited, encoding="utf-8")
    items = json.loads(run(capsys, "export", str(corpus), "--notes", notes, "--format", "json")[1])["items"]
    by_quote = {item["target"]["selector"][0]["exact"]: item for item in items}
    kept = by_quote["signed a long-delayed transit agreement"]
    start = kept["target"]["selector"][1]["start"]
    assert ("Inserted line.\n" + edited)[start : start + 39] == "signed a long-delayed transit agreement"
    assert by_quote["brushed the remark aside"].get("orphan") is True


def test_annotate_on_an_annotated_span_adds_the_tag_to_its_annotation(capsys, corpus, tmp_path) -> None:
    """Issue 15: a second annotate of one passage tags the annotation there; a note joins its note; no second annotation."""
    notes = str(tmp_path / "notes")
    article = str(corpus / "01_pipeline-deal-signed.txt")
    quote = "signed a long-delayed transit agreement"
    status, first, _ = run(capsys, "annotate", article, "--quote", quote, "--tag", "energy", "--note", "the deal", "--notes", notes)
    assert status == 0
    status, second, err = run(capsys, "annotate", article, "--quote", quote, "--tag", "Security", "--tag", "energy",
                              "--note", "a corridor", "--notes", notes)
    assert status == 0 and second == first  # the same id
    assert err == "dossier annotate: the passage was annotated already: energy, security on it now\n"
    status, again, _ = run(capsys, "annotate", article, "--quote", quote, "--tag", "energy", "--note", "the deal", "--notes", notes)
    assert again == first
    items = json.loads(run(capsys, "export", str(corpus), "--notes", notes, "--format", "json")[1])["items"]
    assert len(items) == 1
    assert [(b["purpose"], b["value"]) for b in items[0]["body"]] == [
        ("tagging", "energy"), ("tagging", "security"), ("commenting", "the deal\na corridor")]
    # a longer or shorter passage is another passage: its own annotation
    status, other, _ = run(capsys, "annotate", article, "--quote", quote + " for", "--tag", "energy", "--notes", notes)
    assert status == 0 and other != first


@pytest.mark.parametrize(
    ("quote", "tag", "message"),
    [
        ("not in the article at all", "energy", "not found"),
        ("the", "energy", "occurs"),
        ("signed a long-delayed transit agreement", "oil", "known tags: security, energy, Syria, diplomacy"),
    ],
)
def test_annotate_errors(capsys, corpus, tmp_path, quote, tag, message) -> None:
    status, out, err = run(capsys, "annotate", str(corpus / "01_pipeline-deal-signed.txt"), "--quote", quote,
                           "--tag", tag, "--notes", str(tmp_path / "notes"))
    assert status == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_export_refuses_to_overwrite_without_force(capsys, corpus, tmp_path) -> None:
    notes = str(tmp_path / "notes")
    article = str(corpus / "01_pipeline-deal-signed.txt")
    run(capsys, "annotate", article, "--quote", "brushed the remark aside", "--tag", "energy", "--notes", notes)
    target = tmp_path / "out.json"
    target.write_text("keep me", encoding="utf-8")
    status, _, err = run(capsys, "export", str(corpus), "--notes", notes, "--format", "json", "-o", str(target))
    assert status == 2 and "--force" in err and target.read_text() == "keep me"
    assert run(capsys, "export", str(corpus), "--notes", notes, "--format", "json", "-o", str(target), "--force")[0] == 0
    assert json.loads(target.read_text())["total"] == 1


def test_doctor_reports_and_repairs_corrupt_notes(capsys, corpus, tmp_path) -> None:
    notes = tmp_path / "notes"
    article = str(corpus / "01_pipeline-deal-signed.txt")
    run(capsys, "annotate", article, "--quote", "brushed the remark aside", "--tag", "energy", "--notes", str(notes))
    assert run(capsys, "doctor", "--notes", str(notes))[0] == 0
    (shard,) = (notes / "articles").glob("*.json")
    shard.write_text(shard.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    status, _, err = run(capsys, "export", str(corpus), "--notes", str(notes))
    assert status == 2 and shard.name in err and err.count("\n") == 1
    status, out, _ = run(capsys, "doctor", "--notes", str(notes))
    assert status == 1 and shard.name in out
    status, out, _ = run(capsys, "doctor", "--notes", str(notes), "--repair")
    assert list((notes / "articles").glob("*.corrupt-*")), "the damaged original is kept"


def test_second_process_cannot_write_and_says_who_holds_the_lock(tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from tui.core.notes.store import Store
            store = Store.open({str(notes)!r}, mode="write")
            print("locked", flush=True)
            sys.stdin.read()  # hold the lock until the test is done
        """)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        # The second writer gives up by itself; the timeout only keeps a broken build from hanging CI.
        result = subprocess.run(
            [sys.executable, "-m", "tui.cli", "annotate", str(corpus / "01_pipeline-deal-signed.txt"),
             "--quote", "brushed the remark aside", "--tag", "energy", "--notes", str(notes), "--wait", "0"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 2
        assert f"process {holder.pid}" in result.stderr and result.stderr.count("\n") == 1
    finally:
        holder.kill()
        holder.wait()


def test_annotate_says_when_the_passage_is_in_a_dropped_line_and_the_report_says_where_it_is(corpus, tmp_path, capsys) -> None:
    """A photo credit is dropped by the cleaner: the annotation is saved, with a notice, and the report does not
    pretend it sits in the headline's paragraph."""
    notes = str(tmp_path / "notes")
    article = str(corpus / "01_pipeline-deal-signed.txt")
    assert main(["annotate", article, "--quote", "Photo: Orhan Demirtaş", "--tag", "security", "--notes", notes]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.split()) == 1  # the id, as the contract says
    assert "not in the cleaned text: the cleaner drops line 4 (caption: photo credit)" in captured.err
    assert main(["export", str(corpus), "--notes", notes]) == 0
    report = capsys.readouterr().out
    assert "not in the cleaned text, line 4" in report and "paragraph 1" not in report


def test_a_json_round_trip_keeps_the_tag_vocabulary(capsys, corpus, tmp_path) -> None:
    """Issue 15: the export carries the tags' order, colours and keys; an import into new notes gets them back."""
    from tui.core.notes.store import Store
    from tui.core.notes.tags import DEFAULT_TAGS, Tag

    notes = tmp_path / "notes"
    article = str(corpus / "01_pipeline-deal-signed.txt")
    assert run(capsys, "annotate", article, "--quote", "signed a long-delayed", "--tag", "energy", "--notes", str(notes))[0] == 0
    with Store.open(notes, mode="write") as store:
        store.vocabulary.rename("energy", "Energy policy")
        store.vocabulary.edit("Energy policy", colour="#123456")
        store.vocabulary.move("diplomacy", 0)
        store.vocabulary.add("Black Sea", "teal", "b")
        store.vocabulary.remove("Syria")
        vocabulary = store.tags()
    out = tmp_path / "export.json"
    assert run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json", "-o", str(out))[0] == 0
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert list(payload) == ["type", "total", "vocabulary", "items"]
    assert payload["vocabulary"] == [{"name": t.name, "colour": t.colour, "key": t.key} for t in vocabulary]

    fresh = tmp_path / "fresh"
    assert run(capsys, "import", str(out), "--notes", str(fresh))[0] == 0
    with Store.open(fresh, mode="read") as store:
        assert store.tags() == vocabulary  # not the defaults, and not "Energy policy" in grey at the end
    assert json.loads(run(capsys, "export", str(corpus), "--notes", str(fresh), "--format", "json")[1]) == payload

    # notes in use keep their own tags, and gain the export's missing ones with their colours
    used = tmp_path / "used"
    assert run(capsys, "annotate", article, "--quote", "brushed the remark aside", "--tag", "Syria", "--notes", str(used))[0] == 0
    assert run(capsys, "import", str(out), "--notes", str(used))[0] == 0
    with Store.open(used, mode="read") as store:
        assert store.tags() == [*DEFAULT_TAGS, Tag("Energy policy", "#123456", "5"), Tag("Black Sea", "teal", "b")]


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        ('"x"', '"vocabulary" should be a list of tags'),
        ('[{"name": "a", "colour": "not a colour!", "key": "1"}]', "vocabulary item 0: invalid colour 'not a colour!'"),
        ('[{"name": "a", "colour": "red", "key": "1"}, {"name": "A", "colour": "red", "key": "2"}]',
         "vocabulary item 1: the tag 'A' is there twice"),
        ('[{"name": "a\\nb", "colour": "red"}]', "vocabulary item 0: invalid tag name"),
    ],
)
def test_a_bad_vocabulary_stops_the_import(capsys, tmp_path, vocabulary, message) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(f'{{"type": "AnnotationCollection", "total": 0, "vocabulary": {vocabulary}, "items": []}}', encoding="utf-8")
    status, _, err = run(capsys, "import", str(bad), "--notes", str(tmp_path / "notes"))
    assert status == 2 and message in err and len(err.splitlines()) == 1


def test_notes_opened_with_another_corpus_say_so_in_one_line(capsys, corpus, tmp_path, sample_corpus) -> None:
    """Issue 15: the notes remember the corpus a writer last used them with; another corpus is told so, once per change."""
    notes = str(tmp_path / "notes")
    other = tmp_path / "other"
    shutil.copytree(sample_corpus, other)
    quote = "signed a long-delayed transit agreement"
    status, _, err = run(capsys, "annotate", str(corpus / "01_pipeline-deal-signed.txt"), "--quote", quote, "--tag", "energy",
                         "--notes", notes)
    assert status == 0 and err == ""  # new notes: nothing to say, the corpus is recorded
    status, _, err = run(capsys, "list", str(corpus), "--notes", notes)
    assert status == 0 and err == ""  # the corpus it was used with: nothing to say
    warning = (f"the notes in {notes} were last used with the corpus {corpus.resolve()}, not {other.resolve()}: "
               "if they are not this corpus's notes, name its own with --notes (or DOSSIER_NOTES)")
    for command in (["list", str(other), "--json"], ["export", str(other)]):
        status, _, err = run(capsys, *command, "--notes", notes)
        assert status == 0 and err.splitlines() == [f"dossier {command[0]}: warning: {warning}"]
    # list and export read the notes without writing them: still the first corpus's
    status, _, err = run(capsys, "annotate", str(other / "01_pipeline-deal-signed.txt"), "--quote", "brushed the remark aside",
                           "--tag", "energy", "--notes", notes)
    assert status == 0 and err.splitlines() == [f"dossier annotate: warning: {warning}"]
    assert run(capsys, "list", str(other), "--notes", notes)[2] == ""  # a writer recorded its corpus: said once
    assert "last used with the corpus " + str(other.resolve()) in run(capsys, "list", str(corpus), "--notes", notes)[2]


def test_a_passage_over_two_paragraphs_is_not_said_to_be_hidden_by_the_blank_line_between(capsys, corpus, tmp_path) -> None:
    status, _, err = run(capsys, "annotate", str(corpus / "01_pipeline-deal-signed.txt"), "--quote",
                         "the sea to Greece.\n\nThe deal, initialled", "--tag", "energy", "--notes", str(tmp_path / "notes"))
    assert status == 0 and err == ""  # it was "part of the passage is not in the cleaned text: … line 7 (blank: blank line)"
