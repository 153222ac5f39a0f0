"""Reading a corpus: encodings, control characters, HTML, and every bad input."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.corpus import (
    ArticleError,
    CorpusError,
    decode_bytes,
    load_corpus,
    normalise_text,
    read_article,
    scan_corpus,
)
from tui.core.natural import natural_key

T = TypeVar("T")

TEXT = "Headline “quoted” — café\n\nBody paragraph with ünïcode.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
    ],
)
def test_decodes_unicode_encodings(data: bytes, encoding: str) -> None:
    text, found, warnings = decode_bytes(data)
    assert text == TEXT
    assert found == encoding
    assert warnings == []


def test_decodes_cp1252_smart_quotes() -> None:
    source = ("The minister’s “final offer” was rejected — again. " * 20 + "\nCafé société.\n")
    text, encoding, warnings = decode_bytes(source.encode("cp1252"))
    assert text == source
    assert "not UTF-8" in warnings[0]
    # cp1250 and cp1252 agree on every character here; the text is what matters
    assert encoding.replace("_", "").replace("-", "").lower() in {"cp1250", "cp1252", "windows1252"}


def test_decodes_latin1() -> None:
    source = "Le président a déclaré à la presse : « nous négocierons ». Ça suffit.\n" * 10
    text, _, warnings = decode_bytes(source.encode("latin-1"))
    assert "président" in text and "déclaré" in text and "Ça" in text
    assert warnings


def test_normalises_newlines() -> None:
    text, _, _ = decode_bytes(b"one\r\ntwo\rthree\n")
    assert text == "one\ntwo\nthree\n"


def test_removes_control_characters_and_ansi_and_says_so() -> None:
    data = b"Title\n\x1b[31mred\x1b[0m text\x07 and \x1b]0;window title\x07done\ttab\x00\n"
    with pytest.raises(ArticleError):
        decode_bytes(data)  # a NUL byte in plain bytes means binary
    text, _, warnings = decode_bytes(data.replace(b"\x00", b""))
    assert text == "Title\nred text and done\ttab\n"
    assert any("removed" in w and "control" in w for w in warnings)


def test_markup_is_kept_as_text() -> None:
    text, _, warnings = decode_bytes(b"[bold]not bold[/] and [link=x]y[/link]\n")
    assert text == "[bold]not bold[/] and [link=x]y[/link]\n"
    assert warnings == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_rejects_empty_and_binary(data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        decode_bytes(data)


def test_scan_skips_with_reasons(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Headline here\n\nBody.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nBody.\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"abc\x00\x01\x02")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.txt").write_text("Nested headline\n\nNested body.\n", encoding="utf-8")
    (sub / "back").symlink_to(tmp_path)  # a folder loop

    articles, skipped = load_corpus(tmp_path)
    assert [a.rel for a in articles] == ["a.txt", "b.md", "sub/c.txt"]
    reasons = {s.path: s.reason for s in skipped}
    assert reasons["image.png"].startswith("not an article file")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["broken.txt"] == "broken symbolic link"
    assert reasons["loop1.txt"] == "symbolic link loop"
    assert "loop" in reasons["sub/back"]


def test_unreadable_file_is_skipped(tmp_path, monkeypatch) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("Headline\n\nBody.\n", encoding="utf-8")
    if os.geteuid() == 0:
        # root reads any file: simulate the permission error the OS would raise
        real = os.open

        def deny(path, flags, *args):
            if os.fspath(path).endswith("secret.txt"):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path, flags, *args)

        monkeypatch.setattr(os, "open", deny)
    else:
        target.chmod(0)
    articles, skipped = load_corpus(tmp_path)
    assert articles == []
    assert skipped[0].reason == "permission denied"


def test_corpus_errors(tmp_path) -> None:
    with pytest.raises(CorpusError, match="no such"):
        scan_corpus(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a folder"):
        scan_corpus(tmp_path / "file.txt")


def test_article_id_is_path_and_sha256(tmp_path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "x.txt").write_bytes("Héadline\r\n\r\nBody.\r\n".encode("cp1252"))
    article = read_article(tmp_path, "dir/x.txt")
    assert article.rel == "dir/x.txt"
    assert article.sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert article.id == f"dir/x.txt#{article.sha256}"


def test_html_extracts_article_and_keeps_title(tmp_path) -> None:
    body = " ".join(["The ministers met in Vienna to discuss gas transit and security guarantees."] * 6)
    html = f"""<html><head><title>Ministers meet in Vienna over gas</title></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Ministers meet in Vienna over gas</h1><p>{body}</p><p>{body}</p></article>
    <footer>© 2024 Example News. All rights reserved.</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    article = read_article(tmp_path, "page.html")
    assert article.page_title == "Ministers meet in Vienna over gas"
    assert article.text.startswith("Ministers meet in Vienna over gas")
    assert "The ministers met in Vienna" in article.text
    assert "<p>" not in article.text and "Home" not in article.text.split("\n")[0]


def test_sample_corpus_reads_cleanly(sample_corpus) -> None:
    articles, skipped = load_corpus(sample_corpus)
    # its manifest is no article: the scan skips it, list and export read it as the manifest
    assert len(articles) == 10 and [(s.path, s.reason) for s in skipped] == [("dossier.csv", "not an article file (.csv)")]
    assert {a.rel.rsplit(".", 1)[1] for a in articles} == {"txt", "md", "html"}


def python_calls(work: Callable[[], T]) -> tuple[int, T]:
    """How many functions (Python and built-in) ``work()`` calls, counted by a profile hook; and what it returns."""
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        result = work()
    finally:
        sys.setprofile(None)
    return calls, result


@pytest.mark.slow
def test_50mb_text_loads_with_no_more_work_in_python_than_1mb(tmp_path) -> None:
    """A 50 MB file loads whole, and no step of the loading runs once per line or per chunk in Python.

    How fast it loads is the machine's business (``bench/scale_bench.py --big``
    measures it): what is checked here is the reason it is fast, that the
    Python function calls are the same in number for 50 MB as for 1 MB (the
    bytes are read, decoded, normalised and hashed by calls that each take
    the whole text).
    """
    paragraph = ("Officials said the pipeline talks would resume next week. " * 8 + "\n\n").encode("utf-8")
    for name, size in (("small.txt", 1024 * 1024), ("huge.txt", 50 * 1024 * 1024)):
        with (tmp_path / name).open("wb") as handle:
            for _ in range(size // len(paragraph) + 1):
                handle.write(paragraph)
    read_article(tmp_path, "small.txt")  # once first: a late import or a first-call cache is not counted below
    small_calls, small = python_calls(lambda: read_article(tmp_path, "small.txt"))
    huge_calls, article = python_calls(lambda: read_article(tmp_path, "huge.txt"))
    assert len(small.text) >= 1024 * 1024
    assert len(article.text) >= 50 * 1024 * 1024
    assert huge_calls == small_calls, f"50 MB took {huge_calls} calls to load, 1 MB {small_calls}"


def test_a_scan_without_stats_lists_the_same_and_measures_later(tmp_path) -> None:
    """The first screen's scan takes no ``stat`` of a plain file; ``measure`` then gives what a full scan gives."""
    (tmp_path / "b.txt").write_text("two", encoding="utf-8")
    (tmp_path / "a10.txt").write_text("ten", encoding="utf-8")
    (tmp_path / "a2.md").write_text("# two", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<p>c</p>", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "b.txt")
    full = scan_corpus(tmp_path)
    quick = scan_corpus(tmp_path, measure=False)
    assert quick.files == full.files
    assert quick.skipped == full.skipped
    assert set(quick.stats) < set(full.stats)  # the link was followed with a stat; the plain files were not
    quick.measure()
    assert quick.stats == full.stats
    (tmp_path / "b.txt").unlink()
    gone = scan_corpus(tmp_path, measure=False)
    (tmp_path / "a10.txt").unlink()
    gone.measure()
    assert gone.stats["a10.txt"] == (-1, -1)


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF, exclude_characters="\x00") | st.sampled_from("\r\n\t\x1b\x9b\x85\xa0[31m")))
def test_the_byte_test_for_control_characters_agrees_with_the_pattern(text: str) -> None:
    """decode_bytes skips the control pattern when a UTF-8 file's bytes hold none: it must never skip one."""
    data = text.encode("utf-8")
    if not text.strip():
        return  # an empty file is refused before any of this
    expected = normalise_text(text.lstrip("\ufeff"))
    try:
        decoded, _, warnings = decode_bytes(data)
    except ArticleError:
        assert not expected[0].strip()  # nothing left after the controls went
        return
    assert decoded == expected[0]
    assert bool(expected[1]) == any("control character" in w for w in warnings)


def _words_and_numbers(rel: str) -> list[object]:
    """The natural order's meaning, spelled out: case-folded words, and numbers compared as numbers."""
    parts: list[object] = list(re.split(r"(\d+)", rel.casefold()))
    parts[1::2] = [int(str(part)) for part in parts[1::2]]
    return parts


@given(st.lists(st.text(alphabet=st.sampled_from("aAbZ_.-/0123456789é٣\x01 "), max_size=12), max_size=30))
def test_natural_key_sorts_as_words_and_numbers_do(names: list[str]) -> None:
    """The one-string key orders names exactly as a list of words and numbers would (2.txt before 10.txt)."""
    def order(key) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
        ranked = sorted(names, key=key)
        return [tuple(_words_and_numbers(name)) for name in ranked]  # equal keys may be in either order

    assert order(natural_key) == order(_words_and_numbers)
    names = ["10.txt", "9.txt", "a2.txt", "A10.txt", "007.txt"]
    assert sorted(names, key=natural_key) == ["007.txt", "9.txt", "10.txt", "a2.txt", "A10.txt"]


def test_a_scan_of_entries_listed_already_is_the_scan(tmp_path) -> None:
    """``listed`` (the root's entries, listed by FirstLook before the thread runs) changes nothing in the result."""
    for name in ["b.txt", "a.md", "10.txt", "2.txt", "notes.pdf", ".hidden.txt"]:
        (tmp_path / name).write_text("Some text here.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("More text.\n", encoding="utf-8")
    with os.scandir(tmp_path) as found:
        listed = list(found)
    for measure in (True, False):
        fresh, given = scan_corpus(tmp_path, measure), scan_corpus(tmp_path, measure, listed)
        assert given.files == fresh.files == ["2.txt", "10.txt", "a.md", "b.txt", "sub/c.txt"]
        assert given.skipped == fresh.skipped and given.stats == fresh.stats
