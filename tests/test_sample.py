"""The bundled sample gives its articles' facts in every way an article can (issue 15), and ``list --json`` shows them.

Page metadata (05: meta tags and JSON-LD), the text (bylines, datelines,
copyright lines, outlet lines), Markdown front matter (04) and the corpus
manifest (``tui/sample/dossier.csv``): each of the four origins gives some of
the five attributes, and every article has all five.
"""

from __future__ import annotations

import json

from tui.cli import main

T, H, F, M = "text", "html", "front-matter", "manifest"
#: Each article's five attributes as (value, origin): date, source, author, url, language.
EXPECTED = {
    "01_pipeline-deal-signed.txt": [
        ("2024-03-14", M), ("Caspian Courier", T), ("Leyla Hasanova", T),
        ("https://caspian-courier.example/energy/2024/03/14/ankara-baku-meridian-transit-deal", M), ("en", T)],
    "02_black-sea-patrols.txt": [
        ("2024-04-17", M), ("Black Sea Monitor", M), ("Kerem Yavuz", M),
        ("https://blacksea-monitor.example/security/russian-frigates-shadow-meridian-survey-ship", M), ("en", T)],
    "03_syria-spur-proposal.txt": [
        ("2024-02-20", M), ("Levant Ledger", T), ("Rami Nassar", T),
        ("https://levant-ledger.example/2024/02/20/damascus-meridian-spur", M), ("en", T)],
    "04_greek-landfall-protests.md": [
        ("2024-06-08T19:40+03:00", F), ("The Aegean Observer", F), ("Katerina Stavrou", F),
        ("https://aegean-observer.example/2024/06/08/meridian-landfall-protest", F), ("en", T)],
    "05_compressor-blast-inquiry.html": [
        ("2024-05-14", H), ("Meridian Wire", H), ("Murat Şahin", H),
        ("https://meridian-wire.example/security/2024/05/14/hatay-compressor-blast", H), ("en", H)],
    "06_eu-funding-vote.txt": [
        ("2024-10-22", M), ("Euxine Review", T), ("Sofia Marinescu", T),
        ("https://euxine-review.example/energy-politics/eu-parliament-meridian-funding", M), ("en", T)],
    "07_wire-transit-deal.txt": [
        ("2024-03-14", T), ("Meridian Wire", T), ("Selin Aksoy", T),
        ("https://meridian-wire.example/energy/2024/03/14/turkey-azerbaijan-transit-deal", M), ("en", T)],
    "08_turkish-gas-price-talks.txt": [
        ("2024-03-19", M), ("Ankara Ekonomi Postası", T), ("Selin Kaya", T),
        ("https://ekonomipostasi.example/enerji/meridyen-fiyat-pazarligi", M), ("tr", T)],
    "09_russian-black-sea-response.txt": [
        ("2024-04-18", M), ("Черноморский вестник", T), ("Анна Морозова", T),
        ("https://chernomorsky-vestnik.example/politika/fregaty-samsun", M), ("ru", T)],
    "10_arabic-syria-spur-reaction.txt": [
        ("2024-03-10", M), ("صحيفة الشرق الجديد", T), ("رنا الخطيب", T),
        ("https://alsharq-aljadid.example/politics/meridian-syria-branch", M), ("ar", T)],
}
KEYS = ("date", "source", "author", "url", "language")


def listed(capsys, sample_corpus, tmp_path) -> dict:
    status = main(["list", str(sample_corpus), "--json", "--notes", str(tmp_path / "notes")])
    out, err = capsys.readouterr()
    assert status == 0 and err == "", err
    return json.loads(out)


def test_list_json_shows_every_attribute_of_the_sample_with_its_origin(capsys, sample_corpus, tmp_path) -> None:
    payload = listed(capsys, sample_corpus, tmp_path)
    assert payload["warnings"] == [] and payload["skipped"] == []  # the manifest is read, not skipped
    articles = {article["path"]: article for article in payload["articles"]}
    assert set(articles) == set(EXPECTED)
    for path, expected in EXPECTED.items():
        article = articles[path]
        assert [(article[key], article["attributes"][key]["origin"]) for key in KEYS] == expected, path
        assert all(article["attributes"][key]["value"] == article[key] for key in KEYS), path
        assert all(article["attributes"][key]["reason"] for key in KEYS), path
    origins = {article["attributes"][key]["origin"] for article in articles.values() for key in KEYS}
    assert origins == {"html", "text", "front-matter", "manifest"}


def test_each_origin_says_where_it_read_its_value(capsys, sample_corpus, tmp_path) -> None:
    articles = {a["path"]: a["attributes"] for a in listed(capsys, sample_corpus, tmp_path)["articles"]}
    assert articles["02_black-sea-patrols.txt"]["author"]["reason"] == "dossier.csv, row 3"
    assert articles["04_greek-landfall-protests.md"]["source"]["reason"] == "front matter: 'source: The Aegean Observer'"
    assert articles["05_compressor-blast-inquiry.html"]["source"]["reason"] == "page metadata, site name: 'Meridian Wire'"
    assert articles["07_wire-transit-deal.txt"]["date"]["reason"] == "dateline: 'ANKARA, March 14, 2024 (Meridian Wire) -'"
    assert articles["07_wire-transit-deal.txt"]["author"]["reason"] == "byline: 'By Selin Aksoy'"
    assert articles["08_turkish-gas-price-talks.txt"]["source"]["reason"] == (
        "copyright line: '© 2024 Ankara Ekonomi Postası. Tüm hakları saklıdır.'")


def test_the_shared_seeds_list_their_outlet_from_their_text(capsys, shared_corpus, tmp_path) -> None:
    """Four of the five seeds name their outlet in their text; 004 names none anywhere, and none is made up."""
    status = main(["list", str(shared_corpus), "--json", "--notes", str(tmp_path / "notes")])
    out, err = capsys.readouterr()
    assert status == 0, err
    sources = {a["path"][:3]: (a["source"], a["attributes"].get("source", {}).get("origin")) for a in json.loads(out)["articles"]}
    assert sources == {
        "000": ("The World", "text"), "001": ("Baonghean", "text"), "002": ("KJ Report", "text"),
        "003": ("The Moscow Times", "text"), "004": (None, None),
    }
