"""A small corpus whose articles have dates and outlets (from a manifest and front matter), for the list's tests.

Five articles, each with a title of its own initial so that every sort
gives a different order; one has no date and one has neither date nor
outlet (they sort last).
"""

from __future__ import annotations

from pathlib import Path

BODY = (
    "Officials met on Tuesday to discuss the route of the gas line and the price of transit for the coming years. "
    "The talks lasted most of the day and ended with a statement that promised further meetings in the spring. "
    "Engineers said the survey work would resume once the weather allowed ships to return to the coast.\n\n"
    "Critics of the project said the costs had not been made public and asked the ministry to publish the figures. "
    "A spokesman replied that the figures would be released when the contracts were signed by all the parties.\n"
)
#: (file, title, date, outlet, language): "" where the article does not say.
ARTICLES = [
    ("a_pipeline.txt", "Pipeline deal signed in Ankara", "2016-12-20", "TASS", "ru"),
    ("b_patrols.txt", "Frigates shadow the survey ship", "2019-04-12", "Reuters", "en"),
    ("c_spur.md", "Damascus floats a spur", "2018-03", "Levant Ledger", "en"),
    ("d_landfall.txt", "Mayors protest the landfall", "", "Black Sea Monitor", "en"),
    ("e_vote.txt", "Zero hour for the funding vote", "", "", ""),
]
#: The files in their corpus order.
FILES = [name for name, *_ in ARTICLES]


def write_corpus(folder: Path) -> Path:
    """Write the corpus into ``folder``: the Markdown article's facts in front matter, the others' in ``dossier.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,date,source,language"]
    for name, title, date, outlet, language in ARTICLES:
        if name.endswith(".md"):
            front = f"---\ndate: {date}\nsource: {outlet}\nlang: {language}\n---\n"
            (folder / name).write_text(f"{front}# {title}\n\n{BODY}", encoding="utf-8")
        else:
            (folder / name).write_text(f"{title}\n\n{BODY}", encoding="utf-8")
            rows.append(f"{name},{date},{outlet},{language}")
    (folder / "dossier.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder
