"""The command-line contract: JSON shapes, exit statuses, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_clean_json_shape(capsys, sample_corpus) -> None:
    status, out, _ = run(capsys, "clean", str(sample_corpus), "--json")
    assert status == 0
    payload = json.loads(out)
    assert set(payload) == {"files", "skipped"}
    assert len(payload["files"]) == 10
    for item in payload["files"]:
        assert set(item) == {"path", "title", "byline", "language", "warnings", "text", "lines"}
        assert item["language"] in {"en", "tr", "ru", "ar"} and item["warnings"] == []
        kinds = {"title", "heading", "body", "caption", "byline", "boilerplate", "duplicate", "blank"}
        for line in item["lines"]:
            assert set(line) == {"n", "text", "keep", "kind", "reason"}
            assert line["kind"] in kinds and line["reason"]
        assert [line["n"] for line in item["lines"]] == list(range(1, len(item["lines"]) + 1))
        assert item["text"] == "\n\n".join(line["text"] for line in item["lines"] if line["keep"])


def test_clean_plain_text_of_one_file(capsys, sample_corpus) -> None:
    status, out, _ = run(capsys, "clean", str(sample_corpus / "01_pipeline-deal-signed.txt"))
    assert status == 0
    assert out.startswith("Ankara and Baku sign transit deal for Meridian gas pipeline\n\n")
    assert "Photo:" not in out


def test_clean_reports_skipped_files_in_folder(capsys, tmp_path) -> None:
    (tmp_path / "good.txt").write_text("Ministers meet in Vienna\n\nThey talked about gas for a long time today.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary")
    status, out, _ = run(capsys, "clean", str(tmp_path), "--json")
    assert status == 0
    payload = json.loads(out)
    assert [Path(f["path"]).name for f in payload["files"]] == ["good.txt"]
    assert payload["skipped"][0]["reason"].startswith("binary file")


def test_list_json_shape(capsys, sample_corpus) -> None:
    status, out, _ = run(capsys, "list", str(sample_corpus), "--json")
    assert status == 0
    payload = json.loads(out)
    assert set(payload) == {"articles", "skipped", "warnings"}  # issue 15 added "warnings" (the manifest's)
    first = payload["articles"][0]
    assert {key: first[key] for key in ("path", "title", "words", "annotations")} == {
        "path": "01_pipeline-deal-signed.txt",
        "title": "Ankara and Baku sign transit deal for Meridian gas pipeline",
        "words": first["words"],
        "annotations": 0,
    }
    # issue 15: the five attributes, null when unknown, and every attribute with where it came from
    assert set(first) == {"path", "title", "words", "annotations", "date", "source", "author", "url", "language", "attributes"}
    assert first["source"] == "Caspian Courier" and first["attributes"]["source"]["origin"] == "text"
    assert all(a["words"] > 100 for a in payload["articles"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["clean", "/no/such/file.txt"], "no such file or folder"),
        (["list", "/no/such/folder"], "no such file or folder"),
        (["clean", "--bogus", "x"], "unrecognized arguments"),
        (["list", "--wat"], "unrecognized arguments"),
        (["clean"], "required"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, message) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err


def test_named_unreadable_file_exits_2(capsys, tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    status, _, err = run(capsys, "clean", str(tmp_path / "empty.txt"))
    assert status == 2 and "empty file" in err and err.count("\n") == 1


def test_console_script_has_no_traceback(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "clean", str(tmp_path / "missing")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_clean_of_markup_and_escapes_is_literal(capsys, tmp_path) -> None:
    (tmp_path / "x.txt").write_bytes(
        b"Markup [bold]headline[/] here today\n\nThe text says [red]this[/red] and \x1b[31mthat\x1b[0m, both of them literally.\n"
    )
    status, out, _ = run(capsys, "clean", str(tmp_path / "x.txt"))
    assert status == 0
    assert "[bold]headline[/]" in out and "[red]this[/red]" in out and "\x1b" not in out
