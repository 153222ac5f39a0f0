"""Print the cleaner's quality and speed figures.

Run: ``python bench/clean_eval.py`` (``--verbose`` lists every wrong line).

1. Line labels: ``../shared/labels.tsv`` on ``../shared/corpus`` and
   ``bench/sample_labels.tsv`` on the bundled sample: boilerplate-drop
   precision, recall and F1 (dropped = positive), the share of content lines
   kept (title, heading, body) and the right title per article.
2. Whole web pages: 4-word-shingle F1 of the cleaned text against the
   article body, beside "keep everything" and jusText, on ``bench/pages``
   (the tuning set) and ``bench/holdout`` (never used for tuning).
   ``--verbose`` lists mistakes on the tuning set only.
3. Real web pages in many languages, ``../shared/webpages`` (trafilatura's
   evaluation set as whole-page text): snippet precision, recall and F1,
   scored as trafilatura's evaluation does, overall and per language group,
   for "keep every line", jusText with the page's language stoplist and
   Dossier; the pages with three or more paragraphs that Dossier reduces to
   their title, with and without a warning; and the speed of Dossier and
   jusText on that page text.
4. Speed: MB of text cleaned per second on one core, on a generated corpus.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tui.core import language  # noqa: E402
from tui.core.clean import KEPT_KINDS, clean_text, forget_judged_lines  # noqa: E402
from tui.core.corpus import read_article  # noqa: E402
from tui.core.line_features import PARAGRAPH, sketch  # noqa: E402

SHARED = ROOT.parent / "shared"
KEEP_LABELS = {"title", "heading", "body"}


def read_labels(path: Path) -> dict[str, dict[int, str]]:
    """``{file: {line number: label}}`` from a labels TSV."""
    labels: dict[str, dict[int, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            labels.setdefault(row["file"], {})[int(row["line"])] = row["label"]
    return labels


def label_scores(corpus: Path, labels_path: Path, verbose: bool) -> dict[str, float]:
    """Score the cleaner's keep/drop decisions against per-line labels."""
    labels = read_labels(labels_path)
    tp = fp = fn = 0
    content = content_kept = 0
    titles_right = 0
    for name, by_line in sorted(labels.items()):
        article = read_article(corpus, name)
        cleaned = clean_text(article.text, page_title=article.page_title)
        gold_title = [n for n, label in by_line.items() if label == "title"]
        ours_title = [line.n for line in cleaned.lines if line.kind == "title"]
        titles_right += gold_title == ours_title
        if verbose and gold_title != ours_title:
            print(f"  title {name}: gold {gold_title} ours {ours_title}")
        for line in cleaned.lines:
            if line.n not in by_line:
                continue
            gold_keep = by_line[line.n] in KEEP_LABELS
            keep = line.kind in KEPT_KINDS
            if gold_keep:
                content += 1
                content_kept += keep
            if not keep and not gold_keep:
                tp += 1
            elif not keep and gold_keep:
                fp += 1
            elif keep and not gold_keep:
                fn += 1
            if verbose and keep != gold_keep:
                print(f"  {name}:{line.n} gold={by_line[line.n]} ours={line.kind} ({line.reason}): {line.text[:70]!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(labels),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "content_kept": content_kept / content if content else 1.0,
        "content_lost": content - content_kept,
        "titles": titles_right,
    }


def shingles(text: str) -> set[tuple[str, ...]]:
    """The set of 4-word shingles of a text (lower-case word tokens)."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def shingle_f1(candidate: str, gold: str) -> float:
    """4-word-shingle F1 of a candidate text against the gold text."""
    a, g = shingles(candidate), shingles(gold)
    if not a or not g:
        return 0.0
    common = len(a & g)
    if not common:
        return 0.0
    p, r = common / len(a), common / len(g)
    return 2 * p * r / (p + r)


def justext_text(page: str, stoplist: frozenset[str] | None = None) -> str:
    """jusText's cleaned text of a plain-text page (one <p> per line), English stoplist unless given."""
    import html

    import justext

    markup = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in page.split("\n") if line.strip()) + "</body></html>"
    paragraphs = justext.justext(markup, stoplist if stoplist is not None else justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def page_scores(pages: Path, verbose: bool) -> list[tuple[str, float, float, float | None]]:
    """Per page: (name, keep everything, ours, jusText or None)."""
    try:
        import justext  # noqa: F401
    except ImportError:
        has_justext = False
    else:
        has_justext = True
    rows = []
    for gold_path in sorted(pages.glob("*.gold.txt")):
        page_path = gold_path.with_name(gold_path.name.replace(".gold.txt", ".txt"))
        page = page_path.read_text(encoding="utf-8")
        gold = gold_path.read_text(encoding="utf-8")
        cleaned = clean_text(page)
        rows.append(
            (
                page_path.name,
                shingle_f1(page, gold),
                shingle_f1(cleaned.text, gold),
                shingle_f1(justext_text(page), gold) if has_justext else None,
            )
        )
        if verbose:
            gold_lines = {line.strip() for line in gold.split("\n") if line.strip()}
            for line in cleaned.lines:
                if line.kind != "blank" and (line.text.strip() in gold_lines) != line.keep:
                    print(f"  {page_path.name}:{line.n} ours={line.kind} ({line.reason}): {line.text[:70]!r}")
    return rows


WEBPAGES = SHARED / "webpages"
#: A language group needs this many pages for a line of its own in the table.
GROUP_MIN_PAGES = 3


def load_webpages(folder: Path = WEBPAGES) -> list[tuple[str, str, dict]]:
    """``(name, page text, snippets)`` for each page of ``folder`` that has snippets."""
    snippets = json.loads((folder / "snippets.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(snippets):
        path = folder / "pages" / f"{name}.txt"
        if path.exists():
            pages.append((name, path.read_text(encoding="utf-8"), snippets[name]))
    return pages


def snippet_group(snippets: dict, page: str) -> str:
    """A page's language group: the language of its ``with`` snippets, as Dossier identifies it.

    Where the snippets are too short to tell (a few words), the language of
    the page's longest lines decides.
    """
    code = language.identify(" ".join(snippets["with"])[:1000])
    return code or language.identify(_page_sample(page)) or "unknown"


def _page_sample(page: str) -> str:
    return language.sample(line.strip() for line in page.split("\n") if len(line) > 20)


def _flat(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(cleaned: str, snippets: dict) -> Counter:
    """True and false positives and negatives of one cleaned page (white space collapsed, as trafilatura's evaluation)."""
    flat = _flat(cleaned)
    counts: Counter = Counter()
    for snippet in snippets["with"]:
        counts["tp" if _flat(snippet) in flat else "fn"] += 1
    for snippet in snippets["without"]:
        counts["fp" if _flat(snippet) in flat else "tn"] += 1
    return counts


def prf(counts: Counter) -> tuple[float, float, float]:
    """Precision, recall and F1 of snippet counts."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def page_stoplist(page: str) -> frozenset[str]:
    """jusText's stoplist for the page's language (identified as Dossier does); all stoplists for other languages.

    The union for a language without a stoplist is what trafilatura does
    when it runs jusText on a page of unknown language.
    """
    import justext

    words = language.stopwords(language.identify(_page_sample(page)))
    if words:
        return words
    return frozenset().union(*(justext.get_stoplist(name) for name in justext.get_stoplists()))


def title_only(cleaned, page: str) -> bool:
    """Whether a page with three or more paragraphs of running text was reduced to its title (or to nothing)."""
    paragraphs = {line.strip() for line in page.split("\n") if line.strip() and sketch(line.strip()) == PARAGRAPH}
    return len(paragraphs) >= 3 and not any(line.keep and line.kind != "title" for line in cleaned.lines)


def webpage_scores(pages: list[tuple[str, str, dict]], with_justext: bool, load_seconds: float) -> dict:
    """Snippet counts per system and language group, title-only pages, and speeds."""
    groups = {name: snippet_group(snippets, page) for name, page, snippets in pages}
    systems = ["keep every line", "jusText (page's stoplist)", "Dossier"] if with_justext else ["keep every line", "Dossier"]
    counts = {system: {} for system in systems}
    size = sum(len(page.encode("utf-8")) for _, page, _ in pages) / 1_000_000
    best = float("inf")
    for _ in range(3):  # best of three passes: the machine may be busy
        forget_judged_lines()  # each pass from cold, as a new process would
        start = time.process_time()
        for _, page, _ in pages:
            clean_text(page)
        best = min(best, time.process_time() - start)
    results = [clean_text(page) for _, page, _ in pages]  # kept for scoring, outside the timing
    outputs = {"keep every line": [page for _, page, _ in pages], "Dossier": [r.text for r in results]}
    justext_rate = None
    if with_justext:
        start = time.process_time()
        outputs["jusText (page's stoplist)"] = [justext_text(page, page_stoplist(page)) for _, page, _ in pages]
        justext_rate = size / (time.process_time() - start)
    for system in systems:
        for (name, _, snippets), text in zip(pages, outputs[system], strict=True):
            c = snippet_counts(text, snippets)
            for group in ("all", groups[name]):
                counts[system].setdefault(group, Counter()).update(c)
    reduced = [(name, bool(r.warnings)) for (name, page, _), r in zip(pages, results, strict=True) if title_only(r, page)]
    return {
        "groups": Counter(groups.values()),
        "counts": counts,
        "systems": systems,
        "size": size,
        "rate": size / best,
        "justext_rate": justext_rate,
        "load": load_seconds,
        "reduced": reduced,
        "warned": sum(bool(r.warnings) for r in results),
    }


def print_webpages(scores: dict) -> None:
    """Print the snippet table, the title-only count and the speeds."""
    pages = sum(scores["groups"].values())
    print(f"\n== Real web pages, ../shared/webpages ({pages} pages, whole-page text)")
    print("   snippets scored as trafilatura's evaluation: a `with` snippet found in the cleaned text (white space")
    print("   collapsed) is a true positive, a `without` snippet found a false positive. Pages are grouped by the")
    print("   language of their `with` snippets, identified by py3langid (of the page's longest lines where the snippets")
    print("   are too short to tell); groups under 3 pages are pooled as 'other'.")
    systems = scores["systems"]
    print(f"{'group':>16} {'pages':>5} | " + " | ".join(f"{name:^20}" for name in systems))
    print(f"{'':>16} {'':>5} | " + " | ".join(f"{'P':>6}{'R':>7}{'F1':>7}" for _ in systems))
    shown = [g for g, n in scores["groups"].most_common() if n >= GROUP_MIN_PAGES]
    pooled = [g for g in scores["groups"] if g not in shown]
    rows = [("all", pages, ["all"])] + [(g, scores["groups"][g], [g]) for g in shown]
    if pooled:
        rows.append((f"other ({len(pooled)} lang.)", sum(scores["groups"][g] for g in pooled), pooled))
    for label, n, members in rows:
        cells = []
        for system in systems:
            total = sum((scores["counts"][system].get(g, Counter()) for g in members), Counter())
            cells.append("{:6.3f} {:6.3f} {:6.3f}".format(*prf(total)))
        print(f"{label:>16} {n:5d} | " + " | ".join(cells))
    reduced = scores["reduced"]
    silent = [name for name, warned in reduced if not warned]
    print(
        f"pages with 3+ paragraphs reduced to their title: {len(reduced)} "
        f"({len(reduced) - len(silent)} with a warning, {len(silent)} without{': ' + ', '.join(silent) if silent else ''}); "
        f"pages with a warning: {scores['warned']}"
    )
    justext_rate = scores["justext_rate"]
    print(
        f"speed on this page text ({scores['size']:.1f} MB, CPU time, one core): Dossier {scores['rate']:.1f} MB/s "
        f"(best of 3 cold passes; the language model loads once per process, {scores['load']:.2f} s, not counted)"
        + (f", jusText {justext_rate:.1f} MB/s" if justext_rate else "")
    )


def generated_article(rng: random.Random) -> str:
    """A synthetic scraped article: menu, headline, caption, prose, appeal, footer."""
    words = (
        "the minister said talks on gas security would resume next week while officials in the capital "
        "warned that the pipeline deal depended on a ceasefire and on sanctions being eased by partners "
        "analysts noted that energy prices rose after the navy reported ships near the coast"
    ).split()

    def sentence(n: int) -> str:
        picked = [rng.choice(words) for _ in range(n)]
        return " ".join(picked).capitalize() + "."

    lines = ["Home", "World", "Politics", "Business", "Subscribe", ""]
    lines += [sentence(rng.randint(6, 11)).rstrip("."), "", "Officials at the signing ceremony. Photo: Jane Doe / Reuters", ""]
    for _ in range(rng.randint(8, 16)):
        lines += [" ".join(sentence(rng.randint(12, 28)) for _ in range(rng.randint(2, 5))), ""]
    lines += ["Jane Doe", "", "Support independent journalism: donate from $5 a month.", "Related articles", "© 2024 The Daily Example"]
    return "\n".join(lines)


def speed(megabytes: float = 20.0) -> list[tuple[str, float, float]]:
    """Clean two generated corpora; return (name, MB cleaned, MB per second).

    "articles" are synthetic scraped articles (mostly paragraphs, like the
    shared corpus); "web pages" repeats bench/pages, whose many short menu
    and list lines make it the slow case.
    """
    rng = random.Random(7)
    articles: list[str] = []
    pages_src = [p.read_text(encoding="utf-8") for p in sorted((HERE / "pages").glob("*.txt")) if not p.name.endswith(".gold.txt")]
    pages: list[str] = []
    while sum(map(len, articles)) < megabytes * 1_000_000:
        articles.append(generated_article(rng))
    while pages_src and sum(map(len, pages)) < megabytes * 1_000_000:
        pages.append(pages_src[len(pages) % len(pages_src)].replace("the", f"the{len(pages) % 7 or ''}", 3))
    results = []
    for name, documents in (("articles", articles), ("web pages", pages)):
        if not documents:
            continue
        size = sum(len(doc.encode("utf-8")) for doc in documents) / 1_000_000
        best = float("inf")
        for _ in range(2):  # best of two passes: the machine may be busy
            forget_judged_lines()
            start = time.process_time()
            for doc in documents:
                clean_text(doc)
            best = min(best, time.process_time() - start)
        results.append((name, size, size / best))
    return results


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every line the cleaner gets wrong")
    parser.add_argument("--megabytes", type=float, default=20.0, help="size of the generated speed corpus")
    parser.add_argument("--no-justext", action="store_true", help="skip jusText on shared/webpages (it takes ~15 s)")
    args = parser.parse_args()
    start = time.process_time()
    language.load()  # first, so its cost is measured alone
    load_seconds = time.process_time() - start

    print("== Line labels (keep = title, heading, body; positive class = dropped line)")
    sets = [
        ("shared corpus", SHARED / "corpus", SHARED / "labels.tsv"),
        ("bundled sample", ROOT / "tui" / "sample", HERE / "sample_labels.tsv"),
    ]
    for name, corpus, labels in sets:
        if not labels.exists():
            print(f"{name}: {labels} not found, skipped")
            continue
        s = label_scores(corpus, labels, args.verbose)
        print(
            f"{name:15} drop P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} | "
            f"content kept {s['content_kept']:.1%} ({s['content_lost']} lost) | "
            f"titles {s['titles']}/{s['articles']}"
        )

    for title, folder in (("tuning set, bench/pages", HERE / "pages"), ("held out, bench/holdout", HERE / "holdout")):
        print(f"\n== Whole web pages, {title} (4-word-shingle F1 against the article body)")
        rows = page_scores(folder, args.verbose and folder.name == "pages")
        if not rows:
            print(f"no pages in {folder}")
            continue
        print(f"{'page':40} {'keep all':>8} {'jusText':>8} {'Dossier':>8}")
        for name, keep_all, ours, jt in rows:
            print(f"{name:40} {keep_all:8.3f} {jt if jt is not None else float('nan'):8.3f} {ours:8.3f}")
        n = len(rows)
        mean_jt = sum(r[3] or 0 for r in rows) / n if rows[0][3] is not None else float("nan")
        print(f"{'mean of ' + str(n) + ' pages':40} {sum(r[1] for r in rows) / n:8.3f} {mean_jt:8.3f} {sum(r[2] for r in rows) / n:8.3f}")

    if (WEBPAGES / "snippets.json").exists():
        print_webpages(webpage_scores(load_webpages(), not args.no_justext, load_seconds))
    else:
        print(f"\n{WEBPAGES} not found: real web pages skipped")

    print("\n== Speed (CPU time, one core, best of two passes)")
    for name, size, rate in speed(args.megabytes):
        print(f"{name:10} cleaned {size:5.1f} MB at {rate:5.1f} MB/s")


if __name__ == "__main__":
    main()
