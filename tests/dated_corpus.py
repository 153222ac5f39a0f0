"""A small corpus with dates and outlets (a ``dossier.csv`` manifest) and annotations, for the reader's facts tests.

Four articles the cleaner keeps whole: three dated in November 2016,
December 2016 and February 2017 (January has none: the timeline shows it
empty), one undated. Outlets: The World (twice), TASS, and one whose name
holds markup and an escape sequence (it must be drawn literally and
harmlessly). Annotations are saved with a ``Store`` before the app starts.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.corpus import read_article
from tui.core.document import article_ref
from tui.core.notes.store import Store

ARTICLES = {
    "a_pipeline.txt": (
        "Pipeline deal signed after years of talks\n\n"
        "Turkey and Azerbaijan signed a long-delayed transit agreement for the gas pipeline on Monday.\n\n"
        "Officials said the first gas would flow west by the end of the decade, after years of talks.\n"
    ),
    "b_patrols.txt": (
        "Black Sea patrols doubled\n\n"
        "The navy doubled its patrols in the Black Sea after a week of tension near the coast.\n\n"
        "Analysts said the move was meant to reassure allies before the summit in the spring.\n"
    ),
    "c_spur.txt": (
        "Syria spur proposal\n\n"
        "A spur of the pipeline to Syria was proposed by the ministry at a meeting on Thursday.\n\n"
        "Diplomats said the proposal had little chance while the war in Syria went on.\n"
    ),
    "d_undated.txt": (
        "Talks resume in Geneva\n\n"
        "Talks on the future of the region resumed in Geneva with delegations from both sides.\n\n"
        "The energy ministers will meet again next month to discuss the price of gas.\n"
    ),
}
#: The manifest: dates and outlets; the last outlet is hostile text.
MANIFEST = (
    "file,date,source\n"
    "a_pipeline.txt,2016-11-03,The World\n"
    "b_patrols.txt,2016-12-20,TASS\n"
    "c_spur.txt,2017-02-14,The World\n"
    'd_undated.txt,,"[bold]Evil[/bold] \x1b]0;pwned\x07News"\n'
)
#: (article, quote, tags) of each annotation.
ANNOTATIONS = [
    ("a_pipeline.txt", "signed a long-delayed transit agreement", ["energy"]),
    ("a_pipeline.txt", "the first gas would flow west", ["energy", "security"]),
    ("b_patrols.txt", "doubled its patrols in the Black Sea", ["security"]),
    ("b_patrols.txt", "meant to reassure allies", ["security", "diplomacy"]),
    ("c_spur.txt", "A spur of the pipeline to Syria", ["Syria", "energy"]),
    ("d_undated.txt", "resumed in Geneva", ["diplomacy"]),
]


def make_corpus(root: Path, notes: Path, annotated: bool = True) -> Path:
    """Write the corpus to ``root / 'corpus'`` (with its manifest) and, if ``annotated``, its annotations to ``notes``."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "dossier.csv").write_text(MANIFEST, encoding="utf-8")
    if annotated:
        with Store.open(notes, mode="write") as store:
            for rel, quote, tags in ANNOTATIONS:
                article = read_article(corpus, rel)
                start = article.text.index(quote)
                store.add(article_ref(article), article.text, start, start + len(quote), tags=tags)
    return corpus
