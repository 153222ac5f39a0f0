"""``dossier memo``: print an article's memo or the corpus memo, replace it with --set, --file or stdin."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.notes.store import Store

FIRST = "01_pipeline-deal-signed.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def corpus(tmp_path, sample_corpus) -> tuple[Path, str]:
    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    return copy, str(tmp_path / "notes")


def on_disk(notes: str) -> tuple[str, str]:
    with Store.open(Path(notes), mode="read") as store:
        return store.memos.of(FIRST), store.memos.corpus()


def test_no_notes_yet_prints_no_memo(capsys, corpus) -> None:
    root, notes = corpus
    assert run(capsys, "memo", "--notes", notes) == (0, "", "")
    assert run(capsys, "memo", str(root / FIRST), "--notes", notes) == (0, "", "")
    assert not Path(notes).exists()  # printing writes nothing


def test_set_then_print_an_article_memo_and_the_corpus_memo(capsys, corpus) -> None:
    root, notes = corpus
    assert run(capsys, "memo", str(root / FIRST), "--notes", notes, "--set", "Framing: economic.\nCheck the figures.") == (0, "", "")
    assert run(capsys, "memo", "--notes", notes, "--set", "# Research question\n\nHow was the pipeline framed?")[0] == 0
    assert on_disk(notes) == ("Framing: economic.\nCheck the figures.", "# Research question\n\nHow was the pipeline framed?")
    assert run(capsys, "memo", str(root / FIRST), "--notes", notes) == (0, "Framing: economic.\nCheck the figures.\n", "")
    assert run(capsys, "memo", "--notes", notes)[1] == "# Research question\n\nHow was the pipeline framed?\n"
    # An empty memo removes it; the other memo stays.
    assert run(capsys, "memo", str(root / FIRST), "--notes", notes, "--set", "")[0] == 0
    assert on_disk(notes) == ("", "# Research question\n\nHow was the pipeline framed?")


def test_file_and_stdin_replace_the_memo(capsys, corpus, tmp_path, monkeypatch) -> None:
    root, notes = corpus
    source = tmp_path / "memo.md"
    source.write_text("From a file\r\nwith two lines\n", encoding="utf-8")
    assert run(capsys, "memo", "--notes", notes, "--file", str(source))[0] == 0
    assert on_disk(notes)[1] == "From a file\nwith two lines\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("From stdin"))
    assert run(capsys, "memo", str(root / FIRST), "--notes", notes, "--file", "-")[0] == 0
    assert on_disk(notes)[0] == "From stdin"


def test_a_memo_is_printed_harmlessly(capsys, corpus) -> None:
    _, notes = corpus
    run(capsys, "memo", "--notes", notes, "--set", "title \x1b]0;pwned\x07 here\nsecond line")
    status, out, _ = run(capsys, "memo", "--notes", notes)
    assert status == 0 and "\x1b" not in out and "\x07" not in out
    assert out.endswith("\nsecond line\n")  # line breaks kept


def test_refusals_are_one_line(capsys, corpus, tmp_path) -> None:
    root, notes = corpus
    status, out, err = run(capsys, "memo", str(root / "nowhere.txt"), "--notes", notes)
    assert (status, out, err) == (2, "", "dossier: no such file: " + str(root / "nowhere.txt") + "\n")
    status, _, err = run(capsys, "memo", "--notes", notes, "--set", "a", "--file", "b")
    assert status == 2 and err.count("\n") == 1 and "not allowed with argument" in err
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    status, _, err = run(capsys, "memo", "--notes", notes, "--file", str(latin))
    assert status == 2 and err == f"dossier memo: {latin}: not UTF-8 text\n"
    status, _, err = run(capsys, "memo", "--notes", notes, "--file", str(tmp_path / "missing.md"))
    assert status == 2 and err.count("\n") == 1 and "missing.md" in err
    assert not Path(notes).exists()  # nothing was written by a refusal
