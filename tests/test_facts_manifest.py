"""The corpus manifest: dossier.csv / dossier.json beside the articles; bad rows are warnings, never errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.corpus import scan_corpus
from tui.core.manifest import Manifest, parse_manifest_csv, parse_manifest_json, read_manifest

CSV = """file,url,date,source,author,language,section
000_09d34bf827547fbd.txt,https://theworld.org/stories/2016-12-20/killing,2016-12-20,The World,Charles Maynes,en,Diplomacy
reports/tass-0412.txt,,2019-04-12T09:30+03:00,TASS,,ru-RU,
,https://example.org/orphan,2019-01-01,Nobody,,,
../outside.txt,,,,,,
c.txt,,20x9,Kommersant,,,
000_09d34bf827547fbd.txt,,2017-01-01,Again,,,
d.txt,,,,,,,too many
"""


def test_csv_rows_become_facts_with_their_row_as_reason() -> None:
    manifest = parse_manifest_csv(CSV)
    world = manifest.facts("000_09d34bf827547fbd.txt")
    assert world.contract() == {"date": "2016-12-20", "source": "The World", "author": "Charles Maynes",
                                "url": "https://theworld.org/stories/2016-12-20/killing", "language": "en"}
    assert world.get("section") == "Diplomacy" and world.fact("source").reason == "dossier.csv, row 2"
    assert {f.origin for f in world.found} == {"manifest"}
    tass = manifest.facts("reports/tass-0412.txt")
    assert tass.contract() == {"date": "2019-04-12T09:30+03:00", "source": "TASS", "author": None, "url": None, "language": "ru"}
    assert manifest.facts("c.txt").contract()["source"] == "Kommersant"  # a bad date loses only itself
    assert manifest.facts("not-listed.txt").found == ()


def test_bad_rows_are_one_line_warnings_naming_file_row_and_why() -> None:
    assert parse_manifest_csv(CSV).warnings == (
        "dossier.csv, row 4: no file named (the 'file' cell is empty): skipped",
        "dossier.csv, row 5: '../outside.txt' is not a path inside the corpus folder: skipped",
        "dossier.csv, row 6: date: not a date: '20x9': dropped",
        "dossier.csv, row 7: '000_09d34bf827547fbd.txt' has a row already (row 2): skipped",
        "dossier.csv, row 8: 8 cells, the header has 7: skipped",
    )
    assert all("\n" not in warning for warning in parse_manifest_csv(CSV).warnings)


def test_rows_naming_no_article_of_the_corpus() -> None:
    manifest = parse_manifest_csv(CSV)
    assert manifest.unmatched(["000_09d34bf827547fbd.txt", "c.txt"]) == [
        "dossier.csv, row 3: no article 'reports/tass-0412.txt' in the corpus"]


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("", "dossier.csv: empty: no header row"),
        ("url,date\nhttps://x,2019\n",
         "dossier.csv: no 'file' column in the header row (columns: 'url', 'date'); the manifest is not read"),
        ("file,date,Date\na.txt,2019,2020\n", "dossier.csv, row 1: column 'Date' is there twice: the second is not read"),
    ],
)
def test_a_manifest_that_cannot_be_used_says_why(text: str, warning: str) -> None:
    assert warning in parse_manifest_csv(text).warnings


def test_spreadsheet_dialects_paths_and_blank_lines() -> None:
    text = '\ufeffFile;Date;Outlet\r\n.\\sub\\a.txt;20.12.2016;"Hürriyet; Ankara"\r\n\r\n./b.txt;2016;Sabah\r\n'
    manifest = parse_manifest_csv(text.lstrip("\ufeff"))
    assert manifest.warnings == ()
    assert manifest.facts("sub/a.txt").contract()["source"] == "Hürriyet; Ankara"
    assert manifest.facts("sub/a.txt").get("date") == "2016-12-20"
    assert manifest.facts("b.txt").get("date") == "2016"
    tabbed = parse_manifest_csv("file\tsource\na.txt\tTASS\n")
    assert tabbed.facts("a.txt").get("source") == "TASS"


def test_json_manifest() -> None:
    payload = [
        {"file": "a.txt", "date": "2016-12-20", "source": "The World", "authors": ["A B", "C D"], "page": 3, "lead": None},
        "not an object",
        {"file": "b.txt", "source": {"nested": True}, "url": "https://x.example/b"},
        {"date": "2016"},
    ]
    manifest = parse_manifest_json(json.dumps(payload))
    assert manifest.facts("a.txt").values() == {"date": "2016-12-20", "source": "The World", "author": "A B; C D", "page": "3"}
    assert manifest.facts("b.txt").values() == {"url": "https://x.example/b"}
    assert manifest.warnings == (
        "dossier.json, item 1: not an object: skipped",
        "dossier.json, item 2: 'source': not text, a number or a list of text: dropped",
        "dossier.json, item 3: no file named (the 'file' cell is empty): skipped",
    )
    wrapped = parse_manifest_json(json.dumps({"articles": payload[:1]}))
    assert wrapped.facts("a.txt").get("source") == "The World"


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("{not json", "dossier.json: not valid JSON at line 1, column 2; the manifest is not read"),
        ('{"files": []}', 'dossier.json: expected a list of objects, or {"articles": [...]}; the manifest is not read'),
        ("[" * 100_000 + "]" * 100_000, "dossier.json: nested too deeply to read; the manifest is not read"),
    ],
)
def test_a_bad_json_manifest_is_a_warning(text: str, warning: str) -> None:
    assert parse_manifest_json(text).warnings == (warning,)


# --- on disk -----------------------------------------------------------------------------------


def test_read_manifest_from_the_corpus_folder(tmp_path, sample_corpus) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    (corpus / "dossier.csv").unlink()  # the sample's own manifest (see test_the_sample_manifest)
    assert read_manifest(corpus) == Manifest()
    (corpus / "dossier.csv").write_text("file,date,source\n01_pipeline-deal-signed.txt,2024-03-14,Caspian Courier\n", encoding="utf-8")
    (corpus / "dossier.json").write_text("[]", encoding="utf-8")
    manifest = read_manifest(corpus)
    assert manifest.name == "dossier.csv" and manifest.facts("01_pipeline-deal-signed.txt").get("date") == "2024-03-14"
    assert manifest.warnings == ("dossier.csv and dossier.json are both in the corpus folder: dossier.json is not read",)
    # the manifest is not an article: the scanner skips it as it skips every .csv and .json
    scan = scan_corpus(corpus)
    assert "dossier.csv" not in scan.files and "dossier.json" not in scan.files
    assert {(s.path, s.reason) for s in scan.skipped} == {
        ("dossier.csv", "not an article file (.csv)"), ("dossier.json", "not an article file (.json)")}


def test_a_manifest_that_cannot_be_read_is_a_warning(tmp_path) -> None:
    (tmp_path / "dossier.csv").write_bytes(b"")
    assert read_manifest(tmp_path).warnings == ("dossier.csv: cannot be read: empty file",)
    (tmp_path / "dossier.csv").unlink()
    os.mkfifo(tmp_path / "dossier.csv")  # a FIFO would block a reader for ever: it is refused unopened
    assert read_manifest(tmp_path).warnings == ("dossier.csv: cannot be read: not a regular file: a named pipe (FIFO)",)
    (tmp_path / "dossier.csv").unlink()
    section = "Türkiye'nin doğalgaz pazarlığı, Karadeniz güvenliği ve Suriye üzerine haberler"
    row = {"file": "a.txt", "source": "Ankara Ekonomi Postası", "section": section}
    (tmp_path / "dossier.json").write_bytes(json.dumps([row], ensure_ascii=False).encode("cp1254"))
    # a legacy code page is detected, as for articles
    assert read_manifest(tmp_path).facts("a.txt").values() == {"source": "Ankara Ekonomi Postası", "section": section}


# --- properties --------------------------------------------------------------------------------


cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=15)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_no_text_makes_a_manifest_raise(text: str) -> None:
    for manifest in (parse_manifest_csv(text), parse_manifest_json(text), parse_manifest_csv("file," + text)):
        assert all(isinstance(w, str) and "\n" not in w for w in manifest.warnings)


names = st.from_regex(r"[a-z0-9_]{1,8}\.txt", fullmatch=True)
plain = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=15)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names, st.tuples(plain, plain, plain), max_size=6))
def test_rows_written_by_a_csv_writer_read_back(rows: dict[str, tuple[str, str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "source", "author", "section"])
    for file, values in rows.items():
        writer.writerow([file, *values])
    manifest = parse_manifest_csv(buffer.getvalue())
    assert manifest.warnings == ()
    for file, (source, author, section) in rows.items():
        got = manifest.facts(file)
        for key, value in (("source", source), ("author", author), ("section", section)):
            assert got.get(key) == (" ".join(value.split()) or None)
