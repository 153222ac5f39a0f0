"""Class 6: re-anchoring traps.

A paragraph holding the quote pasted before the original must not pull the
annotation onto the copy, whatever the quote's length: surroundings decide,
and position only breaks a tie. A renamed and edited article keeps its
notes when it is clearly the same article; otherwise the notes are kept as
orphans that exports show and ``doctor`` lists, never stranded unseen and
never moved onto another article (a wire rewrite sharing a few sentences).

Properties (hypothesis): an annotation never lands on text that differs
from its quote unless a fuzzy match above the minimum score put it there;
a copy of the annotated paragraph inserted anywhere never moves it (next to
the original, where the two copies are the same text in the same place,
either copy will do).
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from tui.cli import main
from tui.core.notes.anchor import MIN_QUOTE_SIMILARITY, MIN_SCORE, make_target, reanchor
from tui.core.notes.repair import doctor
from tui.core.notes.store import ArticleRef, Store

SAMPLE = Path(__file__).resolve().parents[2] / "tui" / "sample"
FIRST, WIRE = "01_pipeline-deal-signed.txt", "07_wire-transit-deal.txt"
WORDS = (
    "the of and to in a is that for on was with gas pipeline Ankara Moscow Syria minister said talks border "
    "transit deal fee navy escort survey vessel waters claim protest landfall compressor station phase capacity"
).split()

PARAGRAPHS = [
    "The minister met his counterpart in Ankara to discuss the transit fee for the new line.",
    "Officials said the pipeline would avoid the disputed coastal strip, at a cost of two years.",
    "A spokesman for the consortium declined to comment on the size of the cost overrun.",
    "Protesters gathered outside the landfall site carrying banners against the compressor station.",
    "Analysts expect the second phase to double the annual capacity before the decade is out.",
]
TEXT = "\n\n".join(PARAGRAPHS) + "\n"


def sync(text: str, new: str, start: int, end: int) -> tuple[int, int, str] | None:
    """Annotate text[start:end] in a store, then sync the store with `new`; where the annotation went (None: orphan)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "notes", mode="write") as store:
        ann = store.add(ArticleRef.of("a.txt", text), text, start, end, ["energy"])
        store.sync(ArticleRef.of("a.txt", new), new)
        placed = store.get(ann.id)
        return None if placed.orphan else (placed.target.start, placed.target.end, new[placed.target.start : placed.target.end])


# --- a paragraph pasted before the original ---------------------------------------------------------------------------

QUOTES = {
    "short": "transit fee",  # 11 characters
    "medium": "to discuss the transit fee",  # 26 characters
    "sentence": PARAGRAPHS[0],  # the whole paragraph, as the reader tags it
}


@pytest.mark.parametrize("length", list(QUOTES))
@pytest.mark.parametrize("where", ["just before", "at the top", "two paragraphs before", "after", "at the end"])
def test_a_pasted_paragraph_holding_the_quote_never_takes_the_annotation(length, where) -> None:
    # The original sits in the third paragraph; a pull quote repeating it is pasted elsewhere.
    text = "\n\n".join([PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[0], PARAGRAPHS[3], PARAGRAPHS[4]]) + "\n"
    quote = QUOTES[length]
    start = text.index(quote)
    pasted = "Pull quote: " + PARAGRAPHS[0] + " (from our archive)"
    paragraphs = text.rstrip("\n").split("\n\n")
    at = {"just before": 2, "at the top": 0, "two paragraphs before": 1, "after": 3, "at the end": 5}[where]
    new = "\n\n".join([*paragraphs[:at], pasted, *paragraphs[at:]]) + "\n"
    original = new.index(PARAGRAPHS[0], new.index(pasted) + len(pasted)) if at <= 2 else new.index(PARAGRAPHS[0])
    original += PARAGRAPHS[0].index(quote)
    assert sync(text, new, start, start + len(quote)) == (original, original + len(quote), quote)


@pytest.mark.parametrize("length", list(QUOTES))
def test_a_copy_of_the_paragraph_pasted_next_to_it_leaves_the_annotation_on_one_of_the_two(length) -> None:
    quote = QUOTES[length]
    start = TEXT.index(quote)
    new = TEXT.replace(PARAGRAPHS[0], PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[0])  # the same text whichever was pasted
    offset = PARAGRAPHS[0].index(quote)
    copies = {offset, len(PARAGRAPHS[0]) + 2 + offset}
    placed = sync(TEXT, new, start, start + len(quote))
    assert placed is not None and placed[0] in copies and placed[2] == quote


# --- renamed and edited articles ----------------------------------------------------------------------------------


def cli(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert err == "" or (status == 2 and err.count("\n") == 1), err
    return status, out


@pytest.fixture
def corpus(tmp_path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(SAMPLE, copy)
    return copy


ANNOTATED = ("signed a long-delayed transit agreement", "brushed the remark aside",
             "The consortium building the line, led by the Turkish contractor Anadolu Boru")


def annotate_first(capsys, corpus: Path, notes: Path) -> list[str]:
    ids = []
    for quote in ANNOTATED:
        status, out = cli(capsys, "annotate", str(corpus / FIRST), "--quote", quote, "--tag", "energy", "--notes", str(notes))
        assert status == 0
        ids.append(out.strip())
    return ids


def exported(capsys, corpus: Path, notes: Path) -> dict[str, tuple[str, bool]]:
    """Each of ANNOTATED -> (its article, orphan), as an export shows it; checks every placed annotation sits on its quote."""
    status, out = cli(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json")
    assert status == 0
    shown = {}
    for item in json.loads(out)["items"]:
        quote, position = item["target"]["selector"]
        source = item["target"]["source"]
        if not item.get("orphan"):
            text = (corpus / source).read_text(encoding="utf-8")
            assert text[position["start"] : position["end"]] == quote["exact"]
        shown[quote["exact"]] = (source, bool(item.get("orphan")))
    return {quote: where for quote, where in shown.items() if quote in ANNOTATED}


def test_a_renamed_and_edited_article_keeps_its_notes(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    ids = annotate_first(capsys, corpus, notes)
    text = (corpus / FIRST).read_text(encoding="utf-8")
    (corpus / FIRST).unlink()
    edited = "Correction appended below.\n\n" + text.replace("on Thursday", "on Thursday evening")
    (corpus / "pipeline-deal-final.txt").write_text(edited, encoding="utf-8")
    shown = exported(capsys, corpus, notes)  # read-only: followed in memory
    assert shown == dict.fromkeys(ANNOTATED, ("pipeline-deal-final.txt", False))
    # A writer follows it for good; doctor then has nothing to say.
    status, _ = cli(capsys, "annotate", str(corpus / WIRE), "--quote", "Gazprom shares were little changed", "--tag", "energy",
                    "--notes", str(notes))
    assert status == 0
    with Store.open(notes, mode="read") as store:
        assert {store.get(i).article.path for i in ids} == {"pipeline-deal-final.txt"}
        assert not any(store.get(i).orphan for i in ids)
    assert doctor(notes).ok and doctor(notes).orphans == []


def test_a_vanished_article_leaves_visible_orphans_that_come_back_with_it(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    ids = annotate_first(capsys, corpus, notes)
    text = (corpus / FIRST).read_bytes()
    (corpus / FIRST).unlink()
    (corpus / "unrelated.txt").write_text("A different story about football, with no pipeline in it at all.\n")
    assert exported(capsys, corpus, notes) == dict.fromkeys(ANNOTATED, (FIRST, True))
    # A writer records that the article is gone (one flag, nothing rewritten): doctor lists its notes.
    status, _ = cli(capsys, "annotate", str(corpus / "unrelated.txt"), "--quote", "football", "--tag", "energy", "--notes", str(notes))
    assert status == 0
    report = doctor(notes)
    assert report.ok
    assert sum(FIRST in line and "not in the corpus" in line for line in report.orphans) == len(ids)
    # The article comes back: its notes are where they were, and the next writer clears the flag.
    (corpus / FIRST).write_bytes(text)
    assert exported(capsys, corpus, notes) == dict.fromkeys(ANNOTATED, (FIRST, False))
    status, _ = cli(capsys, "annotate", str(corpus / "unrelated.txt"), "--quote", "no pipeline", "--tag", "energy", "--notes", str(notes))
    assert status == 0
    assert doctor(notes).orphans == []


def test_a_wire_rewrite_sharing_sentences_does_not_take_the_notes(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    annotate_first(capsys, corpus, notes)  # one of the three quotes is word for word in the wire copy too
    (corpus / FIRST).unlink()
    assert exported(capsys, corpus, notes) == dict.fromkeys(ANNOTATED, (FIRST, True))


def test_an_article_copied_under_two_new_names_is_not_followed_to_either(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    annotate_first(capsys, corpus, notes)
    text = (corpus / FIRST).read_text(encoding="utf-8")
    (corpus / FIRST).unlink()
    for name in ("copy-a.txt", "copy-b.txt"):
        (corpus / name).write_text("Edited. " + text, encoding="utf-8")
    assert exported(capsys, corpus, notes) == dict.fromkeys(ANNOTATED, (FIRST, True))


def test_a_pure_rename_is_still_followed(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    annotate_first(capsys, corpus, notes)
    (corpus / FIRST).rename(corpus / "moved.txt")
    assert exported(capsys, corpus, notes) == dict.fromkeys(ANNOTATED, ("moved.txt", False))


def test_following_a_corpus_lets_go_of_the_article_files_it_read(capsys, tmp_path, corpus) -> None:
    """A writer follows the corpus one article file at a time (10,000 of them at 100,000 articles): none is kept after."""
    notes = tmp_path / "notes"
    ids = annotate_first(capsys, corpus, notes)
    status, _ = cli(capsys, "annotate", str(corpus / WIRE), "--quote", "Gazprom shares were little changed", "--tag", "energy",
                    "--notes", str(notes))
    assert status == 0
    text = (corpus / FIRST).read_text(encoding="utf-8")
    (corpus / FIRST).write_text("Correction appended below.\n\n" + text, encoding="utf-8")  # edited in place: re-anchored

    def read(ref: ArticleRef) -> str:
        return (corpus / ref.path).read_text(encoding="utf-8")

    with Store.open(notes, mode="write") as store:
        refs = [ArticleRef.of(path.name, path.read_text(encoding="utf-8")) for path in sorted(corpus.glob("*.txt"))]
        before = store.files.loaded()
        report = store.sync_corpus(refs, read)
        assert FIRST in report.reanchored
        assert store.files.loaded() <= before  # every file the pass read is let go again
        edited = read(ArticleRef(FIRST, ""))
        for ann in store.annotations(FIRST):  # what was written before letting go is what is read again
            assert not ann.orphan and edited[ann.target.start : ann.target.end] == ann.target.exact
        store.update(ids[0], note="found again")  # an annotation of a file let go is found again by its id
        assert store.get(ids[0]).note == "found again"


# --- properties ----------------------------------------------------------------------------------------------------


def paragraphs(rng: random.Random, count: int) -> list[str]:
    """Distinct newspaper-like paragraphs of at least 40 characters, from a small vocabulary (repeats make it hard)."""
    made = []
    for n in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
        made.append(f"Item {n}: {words.capitalize()}.")
    return made


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(2, 9), data=st.data())
def test_a_copy_of_the_annotated_paragraph_inserted_anywhere_never_moves_it(seed, count, data) -> None:
    rng = random.Random(seed)
    parts = paragraphs(rng, count)
    text = "\n\n".join(parts) + "\n"
    which = data.draw(st.integers(0, count - 1), label="annotated paragraph")
    para_start = text.index(parts[which])
    a = data.draw(st.integers(0, len(parts[which]) - 1), label="quote start")
    b = data.draw(st.integers(a + 1, len(parts[which])), label="quote end")
    start, end = para_start + a, para_start + b
    at = data.draw(st.integers(0, count), label="insert before paragraph")  # count: at the very end
    new_parts = [*parts[:at], parts[which], *parts[at:]]
    new = "\n\n".join(new_parts) + "\n"
    # Where the original paragraph is now, and where the copy is.
    original = which + (1 if at <= which else 0)
    copy = at
    starts = [sum(len(p) + 2 for p in new_parts[:i]) for i in range(len(new_parts))]
    placed = reanchor(make_target(text, start, end), new, old_length=len(text))
    assert placed.target is not None, "an exact copy of the quote is there: it cannot be an orphan"
    allowed = {starts[original] + a}
    if abs(copy - original) == 1:  # pasted next to it: the same text in the same place, whichever was pasted
        allowed.add(starts[copy] + a)
    assert placed.target.start in allowed and placed.target.exact == text[start:end], (placed, allowed)


def edit(rng: random.Random, parts: list[str]) -> list[str]:
    """A few paragraph-level edits: duplicate, delete, insert, or change a word in one."""
    parts = list(parts)
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(["duplicate", "delete", "insert", "word"])
        i = rng.randrange(len(parts))
        if kind == "duplicate":
            parts.insert(rng.randrange(len(parts) + 1), parts[i])
        elif kind == "delete" and len(parts) > 1:
            del parts[i]
        elif kind == "insert":
            parts.insert(i, " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 20))).capitalize() + ".")
        else:
            words = parts[i].split(" ")
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            parts[i] = " ".join(words)
    return parts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 8), span=st.integers(1, 200), known=st.booleans())
def test_an_annotation_lands_on_its_quote_or_a_good_fuzzy_match_or_nowhere(seed, count, span, known) -> None:
    rng = random.Random(seed)
    parts = paragraphs(rng, count)
    text = "\n\n".join(parts) + "\n"
    start = rng.randrange(0, len(text) - 1)
    target = make_target(text, start, min(len(text), start + span))
    new = "\n\n".join(edit(rng, parts)) + "\n"
    placed = reanchor(target, new, old_length=len(text) if known else None)
    if placed.method == "orphan":
        assert placed.target is None
        return
    got = new[placed.target.start : placed.target.end]
    assert got == placed.target.exact
    if placed.method in ("exact", "nearest"):
        assert got == target.exact
    else:
        assert placed.method == "fuzzy" and placed.score >= MIN_SCORE
        assert fuzz.ratio(got, target.exact) >= MIN_QUOTE_SIMILARITY  # checked independently of the scorer
