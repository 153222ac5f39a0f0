"""``FirstLook(child=True)``: the listing and first article found by a forked child, as the thread finds them.

Each look runs in a fresh interpreter (as the reader's does, before any other
thread starts), never by forking the test process itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_firstlook import FIRST, SECOND

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux only")

_LOOK = """
import json, os, pickle, sys
from pathlib import Path
from tui.core import firstlook
{patch}
root, notes, child = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "child"
answered = []
real = firstlook.FirstLook._from_child
firstlook.FirstLook._from_child = lambda self, *a: answered.append(real(self, *a)) or answered[-1]
look = firstlook.FirstLook(root, notes, child=child)
look.wait()
print(json.dumps({{
    "answered": answered,
    "files": look.scan.files if look.scan else None,
    "error": str(look.error) if look.error else None,
    "rel": look.article.rel if look.article else None,
    "text": look.cleaned.text if look.cleaned else None,
    "kept": [line.n for line in look.cleaned.kept] if look.cleaned else None,
    "preview": look.preview,
    "cleaner_imported": "tui.core.clean" in sys.modules,
}}))
"""


def look(root: Path, notes: Path, child: bool, patch: str = "") -> dict[str, object]:
    """What a FirstLook found, run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _LOOK.format(patch=patch), str(root), str(notes), "child" if child else "thread"],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_child_finds_what_the_thread_finds_and_the_parent_never_imports_the_cleaner(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "10.txt").write_text(SECOND, encoding="utf-8")
    (corpus / "9.txt").write_text(FIRST, encoding="utf-8")
    (corpus / "Zürich.md").write_text(SECOND, encoding="utf-8")
    by_thread = look(corpus, tmp_path / "notes", child=False)
    by_child = look(corpus, tmp_path / "notes", child=True)
    assert by_child["answered"] == [True]
    assert by_child["files"] == by_thread["files"] == ["9.txt", "10.txt", "Zürich.md"]
    assert by_child["rel"] == "9.txt" and by_child["text"] == by_thread["text"] and by_child["kept"] == by_thread["kept"]
    assert "Harbour plans divide the town council" in str(by_child["text"]) and "Home | News" not in str(by_child["text"])
    assert by_child["cleaner_imported"] is False  # the cleaned article came back without the cleaner
    assert by_thread["cleaner_imported"] is True


def test_a_child_that_fails_leaves_the_work_to_the_thread(tmp_path):
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    broken = "pickle.dumps = lambda *a, **k: 1 / 0  # the child cannot answer"
    found = look(tmp_path, tmp_path / "notes", child=True, patch=broken)
    assert found["answered"] == [False]
    assert found["files"] == ["a.txt"] and found["rel"] == "a.txt"
    assert "Harbour plans divide the town council" in str(found["text"])


def test_a_long_first_article_is_read_by_the_parent_and_a_listing_error_comes_back(tmp_path):
    paragraphs = [f"The committee met on day {n} to discuss harbour plan number {n} for the coming year." for n in range(2000)]
    (tmp_path / "a.txt").write_text("Harbour plans\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    found = look(tmp_path, tmp_path / "notes", child=True)
    assert found["answered"] == [True]
    assert found["rel"] == "a.txt" and found["preview"] is True  # its opening, cleaned in the parent's thread
    not_a_folder = look(tmp_path / "a.txt", tmp_path / "notes", child=True)
    assert not_a_folder["answered"] == [True] and not_a_folder["files"] is None and not_a_folder["error"]
