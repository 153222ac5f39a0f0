"""The catalogue (an article's facts from every origin, for list, set and export) and the exports' article fields."""

from __future__ import annotations

import csv
import io

from tui.core.catalogue import Catalogue, without_manifest
from tui.core.corpus import Skipped
from tui.core.document import article_ref, clean_document
from tui.core.export.formats import ARTICLE_FIELDS, CSV_COLUMNS, to_csv, to_web_annotation, to_wide_csv
from tui.core.export.report_sections import Memo, memo_from
from tui.core.manifest import parse_manifest_csv
from tui.core.notes.model import Annotation, ArticleRef, make_target
from tui.core.notes.store import Store

TEXT = "Pipeline talks resume\n\nThe World\n\nMinisters met in Baku on Monday to talk about gas.\n\nThe World is an independent newsroom.\n"


def document(tmp_path, name: str = "a.txt", text: str = TEXT):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / name).write_text(text, encoding="utf-8")
    from tui.core.corpus import read_article

    return corpus, clean_document(read_article(corpus, name))


def test_precedence_text_then_manifest_then_the_analyst(tmp_path) -> None:
    _, doc = document(tmp_path)
    assert Catalogue().facts(doc).fact("source").origin == "text"
    manifest = parse_manifest_csv("file,source,date\na.txt,PRI,2016-12-20\n")
    assert Catalogue(manifest).facts(doc).fact("source").origin == "manifest"
    with Store.open(tmp_path / "notes") as store:
        store.attributes.set(article_ref(doc.article), doc.text, {"source": "The World (PRI)"})
        catalogue = Catalogue(manifest, store)
        facts = catalogue.facts(doc)
        assert (facts.get("source"), facts.fact("source").origin) == ("The World (PRI)", "analyst")
        assert facts.get("date") == "2016-12-20"  # the manifest still gives what the analyst did not set
        origins = [f.origin for f in facts.found if f.key == "source"]
        assert origins[-2:] == ["manifest", "analyst"] and set(origins) == {"text", "manifest", "analyst"}  # all kept


def test_catalogue_of_a_folder_reads_its_manifest(tmp_path) -> None:
    corpus, doc = document(tmp_path)
    (corpus / "dossier.json").write_text('[{"file": "a.txt", "author": "Charles Maynes"}, {"file": "b.txt"}]')
    catalogue = Catalogue.of(corpus)
    assert catalogue.facts(doc).get("author") == "Charles Maynes"
    assert catalogue.warnings(["a.txt"]) == ["dossier.json, item 1: no article 'b.txt' in the corpus"]


def test_without_a_store_an_article_has_no_edits_annotations_memo_or_overrides(tmp_path) -> None:
    _, doc = document(tmp_path)
    catalogue = Catalogue()
    assert catalogue.annotations("a.txt") == [] and catalogue.memo("a.txt") == "" and catalogue.overrides("a.txt") == {}
    subject = catalogue.subject(doc, catalogue.facts(doc))
    assert subject.title == "Pipeline talks resume" and subject.facts["source"] == "The World" and subject.tags == []


def test_the_manifest_is_not_a_skipped_file() -> None:
    skipped = [Skipped("dossier.csv", "not an article file"), Skipped("notes.csv", "not an article file"),
               Skipped("sub/dossier.csv", "not an article file")]
    assert [s.path for s in without_manifest(skipped)] == ["notes.csv", "sub/dossier.csv"]


def test_a_memo_title_is_its_first_line_when_it_is_a_heading() -> None:
    assert memo_from("") is None and memo_from(" \n ") is None
    assert memo_from("# Research question\n\nHow did coverage change?") == Memo("How did coverage change?", "Research question")
    assert memo_from("Plain memo\nsecond line") == Memo("Plain memo\nsecond line")
    assert memo_from("#hashtag first") == Memo("#hashtag first")
    assert memo_from("# Only a title") == Memo("", "Only a title")


# --- the exports' article fields -----------------------------------------------------------------

ANN = Annotation("id-1", ArticleRef("a.txt", ""), make_target(TEXT, 0, 8), ("energy", "Syria"), "", "2024", "2024")
ABOUT = {"a.txt": {"title": "Pipeline talks resume", "date": "2016-12-20", "source": "=HYPERLINK(\"x\")", "author": None,
                   "url": "https://theworld.org/x", "language": "en"}}


def test_json_items_carry_their_article_under_target() -> None:
    orphan = Annotation("id-2", ArticleRef("gone.txt", ""), make_target(TEXT, 0, 8), ("energy",), "", "2024", "2024", True)
    items = to_web_annotation([ANN, orphan], ABOUT.get)["items"]
    assert items[0]["target"]["source"] == "a.txt" and items[0]["target"]["article"] == ABOUT["a.txt"]
    assert items[1]["target"]["article"] == dict.fromkeys(ARTICLE_FIELDS)  # not in the corpus: null, never missing
    assert "article" not in to_web_annotation([ANN])["items"][0]["target"]  # nothing known, nothing said


def test_csv_rows_carry_the_attributes_made_safe() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv([ANN], lambda path: "T", ABOUT.get), newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == 2  # one row per tag
    assert rows[0]["source"] == "'=HYPERLINK(\"x\")" and rows[0]["date"] == "2016-12-20" and rows[0]["author"] == ""


def test_wide_csv_one_row_per_annotation_a_column_per_tag() -> None:
    out = to_wide_csv([ANN], ABOUT.get, ["security", "ENERGY", "syria", "=cmd"])
    header, row = list(csv.reader(io.StringIO(out, newline="")))
    assert header[-4:] == ["security", "ENERGY", "syria", "'=cmd"]
    assert row[-4:] == ["0", "1", "1", "0"] and row[0] == "a.txt" and row[1] == "Pipeline talks resume"
    assert out.split("\r\n")[1].endswith(",0,1,1,0")  # bare numbers
