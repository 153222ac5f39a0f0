"""Class 3: repair that loses annotations.

A table of damage kinds (truncation at random points, flipped bytes, a
missing closing brace, wrong types, an id stored twice, deep nesting, a
folder in place of a file, an empty file, binary garbage, a newer schema, an
article file missing from the index, an index entry without a file, damaged
overrides, tags that differ only in case, offsets beyond the text, a second
file for one article) is applied to the main file and to an article file, in
both schemas the store knows (schema 1 kept everything in one flat table).
For every case: no command prints a traceback; ``doctor --repair`` keeps
every annotation that could still be read in the damaged file (an oracle
independent of the salvage: the document's text is still intact in the
file); ``doctor`` is clean afterwards, or names what it could not set right;
and what an export then shows sits on its quote.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.notes.files import ARTICLES_DIR, MAIN_FILE, dumps_tables
from tui.core.notes.model import sha256_text
from tui.core.notes.store import ArticleRef, Store

SENTENCES = [
    "The minister of energy met his counterpart in Ankara on {n} March to discuss the transit fee.",
    "Officials said the pipeline route number {n} would avoid the disputed coastal strip entirely.",
    "A spokesman for the consortium declined to comment on the cost overrun of project {n}.",
    "Protesters gathered outside landfall site {n} carrying banners against the compressor station.",
    "Analysts expect the second phase, numbered {n}, to double the annual capacity by the decade's end.",
    "The navy escorted survey vessel {n} through waters both governments claim as their own.",
    "Diplomats described talks on round {n} as frank, which usually means they went badly.",
]
ARTICLES = {f"article_{a}.txt": "\n\n".join(s.format(n=10 * a + i) for i, s in enumerate(SENTENCES)) + "\n" for a in range(3)}


def quote_of(text: str, n: int) -> tuple[int, int]:
    """The n-th sentence's middle words: a quote unique in the corpus."""
    sentence = text.split("\n\n")[n]
    start = text.index(sentence) + 4
    return start, start + len(sentence) - 12


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_v2(notes: Path) -> list[str]:
    """A schema-2 folder (annotations inside the article files): 20 annotations on three articles, an override."""
    ids = build_v3(notes)
    for analyst in (notes / "analysts").iterdir():
        for path in (analyst / ARTICLES_DIR).glob("*.json"):
            shard = notes / ARTICLES_DIR / path.name
            data = json.loads(shard.read_text(encoding="utf-8"))
            docs = [{k: v for k, v in d.items() if k != "analyst"} for d in json.loads(path.read_text())["annotations"].values()]
            data["annotations"] = {str(n): d for n, d in enumerate(sorted(docs, key=lambda d: ids.index(d["id"])), 1)}
            shard.write_bytes(dumps_tables(data))  # as Dossier wrote them: one annotation per line
    shutil.rmtree(notes / "analysts")
    main = json.loads((notes / MAIN_FILE).read_text())
    main["meta"]["1"]["schema"] = 2
    (notes / MAIN_FILE).write_text(json.dumps(main))
    return ids


def build_v3(notes: Path) -> list[str]:
    """Today's folder: the same annotations, in their analyst's own files (``analysts/unattributed/articles/``)."""
    ids = []
    with Store.open(notes, mode="write") as store:
        for a, (path, text) in enumerate(ARTICLES.items()):
            ref = ArticleRef.of(path, text)
            for n in range(7 if a < 2 else 6):
                ids.append(store.add(ref, text, *quote_of(text, n), ["energy" if n % 2 else "security"], f"note {a}.{n}").id)
            store.set_override(ref, text, 1, False)
    return ids


def v1_doc(n: int, path: str, text: str, k: int) -> dict:
    start, end = quote_of(text, k)
    return {
        "id": f"6f1c1a52-3f0e-4f7a-9a53-{n:012d}", "path": path, "sha256": sha256_text(text), "start": start, "end": end,
        "quote": text[start:end], "tag": ["security", "energy", "pipelines", "Syria"][n % 4], "note": f"old note {n}",
        "created": "2023-03-01T10:00:00Z",
    }


def build_v1(notes: Path) -> list[str]:
    """A schema-1 folder as an old Dossier wrote it (TinyDB's indented JSON): 20 annotations; returns the ids."""
    notes.mkdir()
    docs = {}
    for n in range(20):
        path = list(ARTICLES)[n % 3]
        docs[str(n + 1)] = v1_doc(n, path, ARTICLES[path], n // 3)
    (notes / MAIN_FILE).write_text(json.dumps({"_default": {}, "meta": {"1": {"schema": 1}}, "annotations": docs}, indent=2))
    return [d["id"] for d in docs.values()]


# --- the oracle: which documents are still intact in a file ----------------------------------------------


def documents(path: Path, schema: int) -> dict[str, str]:
    """Each annotation's id and the exact text of its document in the (undamaged) file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = data.get("annotations", {}).values()
    if schema == 1:
        return {d["id"]: json.dumps(d, indent=2).replace("\n", "\n    ") for d in docs}
    return {d["id"]: json.dumps(d, ensure_ascii=False, sort_keys=schema == 3) for d in docs}


def intact(blocks: dict[str, str], damaged: bytes) -> set[str]:
    """The ids whose document's text is still whole in the damaged bytes."""
    text = damaged.decode("utf-8", "replace")
    return {ann_id for ann_id, block in blocks.items() if block in text}


# --- the damage ---------------------------------------------------------------------------------------------------


@dataclass
class Case:
    """What a damage did: the annotations expected back after repair, and what else to check."""

    expected: set[str]
    refused: bool = False  # repair must refuse (a newer schema) and change nothing
    extra: int = 0  # annotations repair adds (a second version of an id stored twice)
    check: Callable[[Path], None] | None = None


Damage = Callable[[Path, Path, int, random.Random, set[str]], Case]


def byte_damage(change: Callable[[bytes, random.Random], bytes]) -> Damage:
    """A damage to the bytes of one file; the expected annotations are the ones whose documents stay intact."""

    def damage(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
        blocks = documents(target, schema) if target.name != MAIN_FILE or schema == 1 else {}
        damaged = change(target.read_bytes(), rng)
        target.write_bytes(damaged)
        return Case((ids - set(blocks)) | intact(blocks, damaged))

    return damage


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data) - 1)]


def flip(data: bytes, rng: random.Random) -> bytes:
    raw = bytearray(data)
    for _ in range(3):
        at = rng.randrange(len(raw))
        raw[at] = rng.choice([c for c in b'{}[]",:0x\xff\x00' if c != raw[at]])
    return bytes(raw)


def no_closing_brace(data: bytes, rng: random.Random) -> bytes:
    braces = [i for i, c in enumerate(data) if c == ord("}")]
    at = rng.choice([braces[-1], rng.choice(braces)])
    return data[:at] + data[at + 1 :]


def deep_inside(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) // 3, 2 * len(data) // 3)
    return data[:at] + b"[" * 100_000 + data[at:]


def deep_objects(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) // 3, 2 * len(data) // 3)
    return data[:at] + b'{"a": ' * 50_000 + data[at:]


def replace_with(content: bytes) -> Damage:
    return byte_damage(lambda data, rng: content)


def folder_instead(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    blocks = documents(target, schema) if target.name != MAIN_FILE or schema == 1 else {}
    target.unlink()
    target.mkdir()
    (target / "inside.txt").write_text("a folder where a notes file should be")
    return Case(ids - set(blocks))


def wrong_types(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    data = json.loads(target.read_text(encoding="utf-8"))
    if target.name == MAIN_FILE and schema == 2:
        data["tags"]["1"]["colour"] = 7
        if "1" in data.get("articles", {}):  # only renamed or imported articles are listed there
            data["articles"]["1"]["sha256"] = None
        target.write_text(json.dumps(data))
        return Case(set(ids))
    docs = data["annotations"]
    keys = sorted(docs, key=int)
    lost = set()
    quote, start = ("quote", "start") if schema == 1 else ("exact", "start")
    for n, key in enumerate(keys[:6]):
        doc = docs[key]
        if n == 0:  # readable: offsets of the wrong type are guessed, and placed again on the article
            (doc if schema == 1 else doc["target"])[start] = "5"
        elif n == 1:
            doc["tag" if schema == 1 else "tags"] = 12
        elif n == 2:
            doc["note"] = ["a", "list"]
        elif n == 3:  # unreadable: not an object
            lost.add(doc["id"])
            docs[key] = 5
        elif n == 4:  # unreadable: no id
            lost.add(doc["id"])
            doc["id"] = 7
        else:  # unreadable: no quote
            lost.add(doc["id"])
            (doc if schema == 1 else doc["target"])[quote] = None
    target.write_text(json.dumps(data, indent=2 if schema == 1 else None))
    return Case(ids - lost)


def stored_twice(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    data = json.loads(target.read_text(encoding="utf-8"))
    docs = data["annotations"]
    first, second = sorted(docs, key=int)[:2]
    docs["900"] = dict(docs[first])  # the very same document twice
    changed = dict(docs[second], note="a different version")
    if schema == 2:
        changed["updated"] = "2099-01-01T00:00:00.000Z"
    docs["901"] = changed  # the same id with other contents: both versions are kept
    target.write_text(json.dumps(data, indent=2 if schema == 1 else None))
    original = docs[second]["note"]

    def check(folder: Path) -> None:
        with Store.open(folder, mode="read") as store:
            anns = store.all_annotations()
        assert len({a.id for a in anns}) == len(anns)
        versions = {a.note: a.id for a in anns}
        assert "a different version" in versions and original in versions
        assert changed["id"] in (versions["a different version"], versions[original])

    return Case(set(ids), extra=1, check=check)


def newer_schema(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    data = json.loads(target.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema"] = 99
    target.write_text(json.dumps(data))
    return Case(set(ids), refused=True)


def unindexed(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    main_file = notes / MAIN_FILE
    data = json.loads(main_file.read_text())
    data["articles"] = {k: e for k, e in data["articles"].items() if e["key"] != target.stem}
    main_file.write_text(json.dumps(data))
    return Case(set(ids))


def no_file(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    gone = set(documents(target, schema))
    target.unlink()
    return Case(ids - gone)


def damaged_overrides(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    data = json.loads(target.read_text())
    data["overrides"] = {"1": {"line": "one", "text": 3, "keep": "yes"}, "2": 17}
    target.write_text(json.dumps(data))
    return Case(set(ids))


def case_variant_tags(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    main_file = notes / MAIN_FILE
    data = json.loads(main_file.read_text())
    data["tags"]["9"] = {"name": "SECURITY", "colour": "grey", "key": ""}
    main_file.write_text(json.dumps(data))
    shard = json.loads(target.read_text())
    first = next(iter(shard["annotations"].values()))
    first["tags"] = ["SECURITY", "Energy", "security"]
    target.write_text(json.dumps(shard))

    def check(folder: Path) -> None:
        with Store.open(folder, mode="read") as store:
            names = [t.name for t in store.tags()]
            assert names.count("security") == 1 and "SECURITY" not in names and "Energy" not in names
            assert store.get(first["id"]).tags == ("security", "energy")

    return Case(set(ids), check=check)


def beyond_the_text(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    shard = json.loads(target.read_text())
    doc = next(iter(shard["annotations"].values()))
    size = doc["target"]["end"] - doc["target"]["start"]
    doc["target"]["start"], doc["target"]["end"] = 1_000_000, 1_000_000 + size
    target.write_text(json.dumps(shard))
    return Case(set(ids))


def second_file(notes: Path, target: Path, schema: int, rng: random.Random, ids: set[str]) -> Case:
    shard = json.loads(target.read_text())
    extra = dict(next(iter(shard["annotations"].values())), id="0badc0de-0000-4000-8000-000000000001", note="second file")
    shard["annotations"] = {"1": extra}
    (target.parent / ("ab" * 16 + ".json")).write_text(json.dumps(shard))
    return Case(set(ids) | {extra["id"]})


RNG_KINDS: dict[str, Damage] = {
    "truncated": byte_damage(truncate),
    "flipped bytes": byte_damage(flip),
    "no closing brace": byte_damage(no_closing_brace),
    "deep nesting inside": byte_damage(deep_inside),
    "deep objects inside": byte_damage(deep_objects),
}
KINDS: dict[str, Damage] = {
    "deep nesting": replace_with(b"[" * 100_000),
    "empty": replace_with(b""),
    "binary garbage": replace_with(bytes(random.Random(7).randrange(256) for _ in range(4096))),
    "folder instead": folder_instead,
    "wrong types": wrong_types,
    "stored twice": stored_twice,
    "newer schema": newer_schema,
}
V2_SHARD_KINDS: dict[str, Damage] = {
    "not in the index": unindexed,
    "index entry without a file": no_file,
    "damaged overrides": damaged_overrides,
    "tags differing in case": case_variant_tags,
    "offsets beyond the text": beyond_the_text,
    "a second file for one article": second_file,
}

CASES = []
for seed in range(3):
    for kind in RNG_KINDS:
        CASES += [(kind, 1, "main", seed), (kind, 2, "main", seed), (kind, 2, "article", seed)]
for kind in KINDS:
    CASES += [(kind, 1, "main", 0), (kind, 2, "main", 0)]
    if kind not in ("newer schema",):
        CASES.append((kind, 2, "article", 0))
CASES += [(kind, 2, "article", 0) for kind in V2_SHARD_KINDS]
# An analyst's own file (schema 3), damaged in every way that does not need the article file's shape.
CASES += [(kind, 3, "analyst", seed) for seed in range(3) for kind in RNG_KINDS]
CASES += [(kind, 3, "analyst", 0) for kind in ("deep nesting", "empty", "binary garbage", "folder instead")]
CASES = [c for c in CASES if not (c[1] == 2 and c[2] == "main" and c[0] in ("stored twice",))]


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))  # an exception here would be a traceback for the user
    out, err = capsys.readouterr()
    assert err.count("\n") <= 1 + err.count("waiting for the notes"), err
    return status, out, err


def notes_files(notes: Path) -> dict[Path, bytes]:
    """Every file of the notes folder and its bytes, less the corpus cache (derived data that list and export refresh)."""
    return {p: p.read_bytes() for p in notes.rglob("*") if p.is_file() and p.relative_to(notes).parts[0] != "cache"}


def on_disk(notes: Path) -> set[str]:
    with Store.open(notes, mode="read") as store:
        return {a.id for a in store.all_annotations()}


@pytest.mark.parametrize(("kind", "schema", "where", "seed"), CASES, ids=[f"{k}-v{s}-{w}-{n}" for k, s, w, n in CASES])
def test_repair_keeps_every_readable_annotation(capsys, tmp_path, corpus, kind, schema, where, seed) -> None:
    notes = tmp_path / "notes"
    ids = set(build_v1(notes) if schema == 1 else build_v2(notes) if schema == 2 else build_v3(notes))
    shards = sorted((notes / ARTICLES_DIR).glob("*.json")) if schema == 2 else []
    shards += sorted(notes.glob(f"analysts/*/{ARTICLES_DIR}/*.json")) if schema == 3 else []
    target = notes / MAIN_FILE if where == "main" else shards[seed % len(shards)]
    damage = {**RNG_KINDS, **KINDS, **V2_SHARD_KINDS}[kind]
    case = damage(notes, target, schema, random.Random(f"{kind}{schema}{where}{seed}"), ids)
    before = notes_files(notes)

    # Every command on the damaged folder: an answer or one line, never a traceback.
    for argv in (["doctor"], ["list", str(corpus), "--json"], ["export", str(corpus), "--format", "json"],
                 ["annotate", str(corpus / "article_0.txt"), "--quote", "to discuss the transit fee", "--tag", "energy"]):
        status, out, err = cli(capsys, *argv, "--notes", str(notes))
        assert status in (0, 1, 2), (argv, err)
        if argv[0] == "annotate" and status == 0:
            case.expected.add(out.strip())

    status, out, err = cli(capsys, "doctor", "--notes", str(notes), "--repair")
    if case.refused:
        assert status == 2 and "repair refused" in err and "schema 99" in err
        assert {p: b for p, b in notes_files(notes).items() if ".lock" not in p.name} == {
            p: b for p, b in before.items() if ".lock" not in p.name}
        status, out, _ = cli(capsys, "doctor", "--notes", str(notes))
        assert status == 1 and "schema 99 is newer" in out and "need a newer Dossier" in out
        return
    assert status == 0, out + err

    kept = on_disk(notes)
    assert case.expected <= kept, f"lost: {sorted(case.expected - kept)}"
    # More may come back than the oracle promises (a flipped byte inside a note leaves a readable
    # document), but nothing twice: no more annotations than there were.
    assert len(case.expected) + case.extra <= len(kept) <= len(ids | case.expected) + case.extra
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes))
    assert status == 0 and out.endswith("no problems found\n"), out
    if case.check is not None:
        case.check(notes)
    # Nothing misplaced: every exported annotation that is not an orphan sits on its quote.
    status, out, err = cli(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json")
    assert status == 0, err
    items = json.loads(out)["items"]
    assert len(items) == len(kept)
    for item in items:
        quote, position = item["target"]["selector"]
        if not item.get("orphan"):
            text = ARTICLES[item["target"]["source"]]
            assert text[position["start"] : position["end"]] == quote["exact"]
    # A second repair changes nothing.
    files = {p: p.read_bytes() for p in notes.rglob("*") if p.is_file() and ".lock" not in p.name}
    assert cli(capsys, "doctor", "--notes", str(notes), "--repair")[0] == 0
    assert {p: p.read_bytes() for p in notes.rglob("*") if p.is_file() and ".lock" not in p.name} == files


# --- the three losses the issue reports, and copies an older repair left -----------------------------------------


@pytest.mark.parametrize("readable", [3, 20, 11])
def test_damaged_schema_1_file_gives_back_every_readable_annotation(capsys, tmp_path, readable) -> None:
    notes = tmp_path / "notes"
    ids = build_v1(notes)
    main_file = notes / MAIN_FILE
    text = main_file.read_text()
    blocks = documents(main_file, 1)
    # Cut right after the `readable`-th document (20: the file only loses its last braces).
    cut = text.index(blocks[ids[readable - 1]]) + len(blocks[ids[readable - 1]])
    main_file.write_text(text[:cut] + ("" if readable == 20 else ',\n    "99": {"id": "6f1c'))
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes))
    assert status == 1
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes), "--repair")
    assert status == 0 and f"{readable} annotation(s) read from it" in out, out
    assert on_disk(notes) == set(ids[:readable])
    with Store.open(notes, mode="read") as store:
        assert store.get(ids[0]).note == "old note 0" and store.get(ids[0]).tags == ("security",)
        assert "pipelines" in [t.name for t in store.tags()]


def test_doctor_is_not_clean_while_a_corrupt_copy_holds_lost_annotations(capsys, tmp_path) -> None:
    notes = tmp_path / "notes"
    ids = build_v1(notes)
    # What the old repair left: the schema-1 file set aside as a copy, an empty store beside it.
    (notes / MAIN_FILE).rename(notes / f"{MAIN_FILE}.corrupt-20240101-000000")
    Store.open(notes, mode="write").close()
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes))
    assert status == 1
    copy = f"{MAIN_FILE}.corrupt-20240101-000000"
    assert f"problem: {copy}: 20 annotation(s) not in the notes; `dossier doctor --repair` restores them" in out
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes), "--repair")
    assert status == 0 and "restored 20 annotation(s)" in out
    assert on_disk(notes) == set(ids)
    # Restored once: an annotation deleted afterwards is not brought back, and doctor stays clean.
    with Store.open(notes, mode="write") as store:
        store.delete(ids[0])
    assert cli(capsys, "doctor", "--notes", str(notes))[0] == 0
    assert cli(capsys, "doctor", "--notes", str(notes), "--repair")[0] == 0
    assert on_disk(notes) == set(ids[1:])


def test_offsets_beyond_the_text_are_reported_and_never_quoted_empty(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    build_v2(notes)
    shard = sorted((notes / ARTICLES_DIR).glob("*.json"))[0]
    data = json.loads(shard.read_text())
    doc = data["annotations"]["1"]
    size = doc["target"]["end"] - doc["target"]["start"]
    doc["target"]["start"], doc["target"]["end"] = 1_000_000, 1_000_000 + size
    shard.write_text(json.dumps(data))
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes))
    assert status == 1 and f"annotation {doc['id']} ends at offset {1_000_000 + size}, beyond the" in out
    # Even before repair, the report quotes the real text: offsets that do not hold the quote are placed again.
    status, out, _ = cli(capsys, "export", str(corpus), "--notes", str(notes))
    assert status == 0 and f"> {doc['target']['exact']}" in out.replace("\\", "")
    assert cli(capsys, "doctor", "--notes", str(notes), "--repair")[0] == 0
    assert cli(capsys, "doctor", "--notes", str(notes))[0] == 0


def test_pathological_json_is_one_line_for_every_command(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    build_v2(notes)
    (notes / MAIN_FILE).write_bytes(b"[" * 100_000)
    for argv in (["list", str(corpus)], ["export", str(corpus)], ["doctor"],
                 ["annotate", str(corpus / "article_0.txt"), "--quote", "to discuss the transit fee", "--tag", "energy"]):
        status, _, err = cli(capsys, *argv, "--notes", str(notes))
        assert status in (1, 2) and "Traceback" not in err
        if status == 2:
            assert "nested too deeply" in err
    assert cli(capsys, "doctor", "--notes", str(notes), "--repair")[0] == 0
    assert len(on_disk(notes)) == 20


def test_text_that_is_not_unicode_in_a_notes_file_is_read_and_cleaned_by_repair(capsys, tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    ids = build_v2(notes)
    shard = sorted((notes / ARTICLES_DIR).glob("*.json"))[0]
    shard.write_text(shard.read_text().replace('"note": "note ', '"note": "\\udcff note ', 1))  # a JSON escape of a lone surrogate
    status, _, err = cli(capsys, "export", str(corpus), "--notes", str(notes))
    assert status == 2 and "'note' is not valid Unicode text" in err
    assert cli(capsys, "doctor", "--notes", str(notes), "--repair")[0] == 0
    assert on_disk(notes) == set(ids) and cli(capsys, "doctor", "--notes", str(notes))[0] == 0
    with Store.open(notes, mode="read") as store:
        assert sum(a.note.startswith("\ufffd note ") for a in store.all_annotations()) == 1


def test_repair_of_a_folder_whose_articles_folder_is_a_file(capsys, tmp_path) -> None:
    notes = tmp_path / "notes"
    build_v2(notes)
    shutil.rmtree(notes / ARTICLES_DIR)
    (notes / ARTICLES_DIR).write_text("not a folder")
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes))
    assert status == 1 and "problem: articles: not a folder" in out
    status, out, _ = cli(capsys, "doctor", "--notes", str(notes), "--repair")
    assert status == 0 and "moved aside" in out
    assert cli(capsys, "doctor", "--notes", str(notes))[0] == 0
    assert (notes / ARTICLES_DIR).is_dir() and list(notes.glob(f"{ARTICLES_DIR}.corrupt-*"))
