"""Language identification and per-language common words (tui.core.language)."""

from __future__ import annotations

import pytest

from tui.core import language

SAMPLES = {
    "en": "The ministers met in Vienna on Tuesday to discuss the transit of gas through the region, "
        "and both sides said the talks were useful.",
    "de": "Die Minister trafen sich am Dienstag in Wien, um über den Gastransit durch die Region zu "
        "sprechen, und beide Seiten nannten die Gespräche nützlich.",
    "ru": "Министры встретились во вторник в Вене, чтобы обсудить транзит газа через регион, и обе стороны назвали переговоры полезными.",
    "tr": "Bakanlar salı günü Viyana'da bir araya gelerek bölgeden gaz geçişini görüştü ve iki taraf "
        "da görüşmelerin yararlı olduğunu söyledi.",
    "ar": "التقى الوزراء يوم الثلاثاء في فيينا لمناقشة عبور الغاز عبر المنطقة، وقال الجانبان إن المحادثات كانت مفيدة للغاية.",
    "zh": "部长们周二在维也纳会面，讨论天然气过境该地区的问题，双方都表示会谈很有益处，并同意下个月继续举行技术磋商。",
    "ko": "장관들은 화요일 빈에서 만나 이 지역을 통과하는 가스 운송 문제를 논의했으며 양측은 회담이 유익했다고 말했다.",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_identify_names_the_language_of_a_paragraph(code: str) -> None:
    assert language.identify(SAMPLES[code]) == code


def test_identify_gives_up_on_too_few_letters() -> None:
    assert language.identify("Home | News") is None
    assert language.identify("") is None


def test_sample_takes_the_longest_lines_up_to_its_limit() -> None:
    lines = ["short", "a" * 100, "b" * 250, "c" * 50]
    picked = language.sample(lines, limit=300)
    assert picked.startswith("b" * 250) and "a" * 49 in picked and "short" not in picked
    assert len(picked) <= 300


def test_stopwords_come_from_the_languages_stoplist() -> None:
    assert {"und", "der", "nicht"} <= language.stopwords("de")
    assert {"и", "не", "что"} <= language.stopwords("ru")
    assert {"ve", "bir", "bu"} <= language.stopwords("tr")
    assert language.stopwords("zh") == frozenset()  # jusText has no Chinese stoplist
    assert language.stopwords(None) == frozenset()


def test_unspaced_letters_counts_scripts_written_without_spaces() -> None:
    assert language.unspaced_letters("外交部长今天抵达安卡拉。") == 11
    assert language.unspaced_letters("大臣はアンカラに到着した") == 12
    assert language.unspaced_letters("Grüße aus Köln") == 0
    assert language.unspaced_letters("한국어 문장") == 0  # Korean puts spaces between words
