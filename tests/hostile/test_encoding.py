"""Class 8: encodings. Mostly-valid UTF-8 stays UTF-8; legacy code pages still decode right.

A UTF-8 file with a few bad bytes used to be decoded whole as a legacy code
page, so every ``’`` became ``ŌĆÖ`` and a quote copied from the article no
longer matched. The rule now (``tui.core.corpus._damaged_utf8``): the bytes
are UTF-8 when most of their non-ASCII bytes form well-formed UTF-8
sequences; the bad ones become U+FFFD and a warning says how many bytes were
replaced. The sentences below are short news sentences in each language.
"""

from __future__ import annotations

import json

import pytest

from tui.cli import main
from tui.core.corpus import decode_bytes, read_article

SENTENCES = {
    "ru": "Москва и Анкара договорились о новом газопроводе. Министр заявил, что переговоры продолжатся "
    "на следующей неделе, и всё решится до конца года. Её позиция осталась прежней.\n",
    "tr": "Türkiye ile Rusya arasındaki görüşmeler İstanbul'da sürdü. Bakan, doğalgaz anlaşmasının yakında "
    "imzalanacağını söyledi; muhalefet ise şüpheli. Ağustos ayında Şırnak'ta yeni bir toplantı yapılacak.\n",
    "ar": "قال وزير الخارجية إن المحادثات بين أنقرة وموسكو ستستمر الأسبوع المقبل، وأضاف أن الاتفاق على خط "
    "الغاز قريب. هل سينجح الاتفاق؟\n",
    "fr": "Le président a déclaré à la presse : « nous négocierons ». Ça suffit, a répondu l’opposition, "
    "déçue par l’accord gazier signé à Genève.\n",
    "de": "Die Außenminister trafen sich in Köln, um über die Gasleitung zu sprechen. „Wir müssen schnell "
    "handeln“, sagte die Ministerin; die Grünen äußerten Zweifel.\n",
}
#: Text in a legacy code page that makes a few well-formed UTF-8 pairs by chance ("ВСЁ": С then Ё is D1 A8).
CAPITALS = "ВСЁ РЕШЕНО: МОСКВА И АНКАРА ПОДПИСАЛИ СОГЛАШЕНИЕ О ГАЗЕ. ЕЁ МНЕНИЕ? «НЕТ», ОТВЕТИЛ МИНИСТР.\n"
FRENCH_LATIN1 = "Le président a déclaré à la presse : « nous négocierons ». Ça suffit, a répondu le député.\n"
CZECH = "Ministr zahraničí řekl, že jednání o plynovodu budou pokračovat příští týden. Čeští poslanci jsou skeptičtí.\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SENTENCES["ru"], "cp1251"),
        (SENTENCES["ru"], "koi8-r"),
        (CAPITALS, "cp1251"),
        (SENTENCES["tr"], "iso-8859-9"),
        (SENTENCES["tr"], "cp1254"),
        (SENTENCES["ar"], "cp1256"),
        (SENTENCES["fr"], "cp1252"),
        (FRENCH_LATIN1, "latin-1"),
        (SENTENCES["de"], "cp1252"),
        (CZECH, "cp1250"),
    ],
)
def test_legacy_code_pages_still_decode_right(text: str, encoding: str) -> None:
    decoded, found, warnings = decode_bytes(text.encode(encoding))
    assert decoded == text, f"decoded as {found}"
    assert warnings == [f"not UTF-8: decoded as {found}"]


def sprinkle(text: str) -> tuple[bytes, str]:
    """UTF-8 bytes of ``text`` with three stray bytes between characters, and the text expected back."""
    stray = {len(text) // 4: b"\x92", len(text) // 2: b"\xe9", 3 * len(text) // 4: b"\xff"}  # cp1252 ’ and é, and 0xFF
    data, expected = b"", ""
    for index, char in enumerate(text):
        if index in stray:
            data += stray[index]
            expected += "\ufffd"
        data += char.encode("utf-8")
        expected += char
    return data, expected


@pytest.mark.parametrize("language", list(SENTENCES))
def test_utf8_with_a_few_bad_bytes_stays_utf8(language: str) -> None:
    data, expected = sprinkle(SENTENCES[language])
    decoded, encoding, warnings = decode_bytes(data)
    assert (decoded, encoding) == (expected, "utf-8")
    assert warnings == ["invalid UTF-8: 3 bytes replaced with U+FFFD"]


@pytest.mark.parametrize("language", list(SENTENCES))
def test_utf8_cut_inside_its_last_character_stays_utf8(language: str) -> None:
    """A truncated download: the file ends one byte into its last multi-byte character."""
    text = SENTENCES[language].rstrip("\n.؟")
    last = max(i for i, char in enumerate(text) if ord(char) > 0x7F)
    data = (text[:last] + text[last]).encode("utf-8")[:-1]
    cut = len(text[last].encode("utf-8")) - 1
    decoded, encoding, warnings = decode_bytes(data)
    assert (decoded, encoding) == (text[:last] + "\ufffd", "utf-8")
    assert warnings == [f"invalid UTF-8: {cut} byte{'s' if cut != 1 else ''} replaced with U+FFFD"]


def test_english_with_two_curly_quotes_and_one_stray_byte_stays_utf8() -> None:
    """Few non-ASCII characters: still more well-formed bytes than bad ones."""
    data = "The minister’s “final offer” was rejected".encode() + b" \x92again\x92.\n"
    decoded, encoding, warnings = decode_bytes(data)
    assert decoded == "The minister’s “final offer” was rejected \ufffdagain\ufffd.\n"
    assert encoding == "utf-8" and warnings == ["invalid UTF-8: 2 bytes replaced with U+FFFD"]


def test_ascii_cut_inside_a_multibyte_character_at_the_end_stays_utf8() -> None:
    data = b"Ministers met in Vienna and said \xe2\x80"  # the first two bytes of a curly quote
    assert decode_bytes(data) == ("Ministers met in Vienna and said \ufffd", "utf-8", ["invalid UTF-8: 2 bytes replaced with U+FFFD"])


def test_a_legacy_letter_as_the_last_byte_is_not_a_cut_character() -> None:
    text = "Le président a déclaré que la réunion aurait lieu à Genève, puis il est allé au café"
    assert decode_bytes(text.encode("cp1252"))[0] == text


def test_quotes_copied_from_a_damaged_file_still_match(tmp_path, capsys) -> None:
    """End to end: the reader's text keeps its ’, clean prints it, annotate finds the quote."""
    data, expected = sprinkle(SENTENCES["fr"])
    (tmp_path / "article.txt").write_bytes("Négociations gazières à Genève\n\n".encode() + data)
    article = read_article(tmp_path, "article.txt")
    assert "l’opposition" in article.text and article.encoding == "utf-8"
    assert article.warnings == ("invalid UTF-8: 3 bytes replaced with U+FFFD",)
    assert main(["clean", str(tmp_path / "article.txt"), "--json"]) == 0
    lines = [line["text"] for line in json.loads(capsys.readouterr().out)["files"][0]["lines"]]
    assert lines[2] == expected.rstrip("\n")  # the ’ as written, U+FFFD only for the three stray bytes
    status = main(["annotate", str(tmp_path / "article.txt"), "--quote", "a répondu l’opposition", "--tag", "energy",
                   "--notes", str(tmp_path / "notes")])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert len(captured.out.strip()) == 36  # the new annotation's id
