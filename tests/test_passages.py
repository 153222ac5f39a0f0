"""Paragraphs, sentences and word steps of tui.core.passages."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from tui.core import passages

TEXT = (
    "Mr. Smith went to Washington. He said “Hello.” Then U.S. officials left! What? e.g. this one.\n\n"
    "  Second para here.  \n\nThird."
)


def test_paragraphs_are_runs_of_non_blank_lines_without_surrounding_spaces() -> None:
    spans = passages.paragraphs(TEXT)
    assert [TEXT[s:e] for s, e in spans][1:] == ["Second para here.", "Third."]
    assert TEXT[spans[0][0] : spans[0][1]].startswith("Mr. Smith")


def test_sentences_skip_abbreviations_and_initials() -> None:
    first = passages.paragraphs(TEXT)[0]
    got = [TEXT[s:e] for s, e in passages.sentences(TEXT, *first)]
    assert got == ["Mr. Smith went to Washington.", "He said “Hello.”", "Then U.S. officials left!", "What? e.g. this one."]
    jfk = "John F. Kennedy spoke. Then he left."
    assert [jfk[s:e] for s, e in passages.sentences(jfk)] == [
        "John F. Kennedy spoke.", "Then he left."
    ]


def test_word_steps_trim_and_grow_either_end() -> None:
    text = "one two three four"
    assert passages.trim_end(text, 0, 13) == (0, 7)
    assert passages.grow_end(text, 0, 7) == (0, 13)
    assert passages.trim_start(text, 0, 13) == (4, 13)
    assert passages.grow_start(text, 4, 13) == (0, 13)
    assert passages.trim_end(text, 0, 3) == (0, 3)  # one word: nothing to trim
    assert passages.grow_end(text, 0, 18) == (0, 18)  # end of text
    long = "x " * 5000 + "word"
    assert passages.grow_start(long, len(long) - 4, len(long)) == (len(long) - 6, len(long))


def test_index_at_finds_the_span_holding_an_offset() -> None:
    spans = passages.indexed([(0, 5), (7, 10), (12, 20)])
    assert [passages.index_at(spans, o) for o in (0, 4, 6, 7, 11, 19, 99)] == [0, 0, 0, 1, 1, 2, 2]


@given(st.lists(st.text(alphabet="ab .!?\n", max_size=30), max_size=8).map("\n\n".join))
def test_sentences_tile_each_paragraph_in_order(text: str) -> None:
    for start, end in passages.paragraphs(text):
        spans = passages.sentences(text, start, end)
        assert spans, "a paragraph has at least one sentence"
        assert spans[0][0] == start and spans[-1][1] == end
        for (a, b), (c, d) in pairwise(spans):
            assert a < b <= c < d and text[b:c].strip() == ""


# --- sentences in every script ---------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in passages.sentences(text)]


def test_russian_sentences_split_before_cyrillic_capitals() -> None:
    text = "Министр прибыл в Анкару. Переговоры продлятся два дня! Что будет дальше? Никто не знает."
    assert _sentences(text) == ["Министр прибыл в Анкару.", "Переговоры продлятся два дня!", "Что будет дальше?", "Никто не знает."]


def test_russian_abbreviations_do_not_end_a_sentence() -> None:
    text = "Встреча прошла в 2020 г. в Москве. Её вёл Д. Песков."
    assert _sentences(text) == ["Встреча прошла в 2020 г. в Москве.", "Её вёл Д. Песков."]


def test_turkish_sentences_with_dotted_capitals() -> None:
    text = "Bakan dün Moskova'ya gitti. İki ülke anlaştı. Ölçüm sonuçları yarın açıklanacak."
    assert _sentences(text) == ["Bakan dün Moskova'ya gitti.", "İki ülke anlaştı.", "Ölçüm sonuçları yarın açıklanacak."]


def test_arabic_sentences_end_at_full_stop_arabic_question_mark_and_exclamation() -> None:
    text = "وصل الوزير إلى أنقرة. هل ستنجح المحادثات؟ الجميع ينتظر! سنرى غدا."
    assert _sentences(text) == ["وصل الوزير إلى أنقرة.", "هل ستنجح المحادثات؟", "الجميع ينتظر!", "سنرى غدا."]


def test_chinese_and_japanese_full_stops_need_no_space() -> None:
    chinese = "外交部长今天抵达安卡拉。会谈将持续两天！结果如何？"
    assert _sentences(chinese) == ["外交部长今天抵达安卡拉。", "会谈将持续两天！", "结果如何？"]
    japanese = "大臣はアンカラに到着した。会談は二日間続く。"
    assert _sentences(japanese) == ["大臣はアンカラに到着した。", "会談は二日間続く。"]


def test_hindi_sentences_end_at_danda() -> None:
    text = "मंत्री आज अंकारा पहुंचे। बातचीत दो दिन चलेगी। नतीजा क्या होगा?"
    assert _sentences(text) == ["मंत्री आज अंकारा पहुंचे।", "बातचीत दो दिन चलेगी।", "नतीजा क्या होगा?"]


def test_greek_and_lower_case_continuations() -> None:
    assert _sentences("Ο υπουργός έφτασε. Οι συνομιλίες αρχίζουν.") == ["Ο υπουργός έφτασε.", "Οι συνομιλίες αρχίζουν."]
    # A full stop before a lower-case word is not the end of a sentence, in any script.
    assert _sentences("Он сказал т. е. нет. Да.") == ["Он сказал т. е. нет.", "Да."]


_MIXED = st.text(alphabet="aZ я Я İı ş ب ع 中 。！？ ؟ । .!? \n«»\"", max_size=40)


@given(st.lists(_MIXED, max_size=6).map("\n\n".join))
def test_sentence_spans_in_any_script_are_ordered_disjoint_and_cover_the_paragraph(text: str) -> None:
    for start, end in passages.paragraphs(text):
        spans = passages.sentences(text, start, end)
        assert spans and spans[0][0] == start and spans[-1][1] == end
        covered = "".join(text[s:e] for s, e in spans)
        assert "".join(covered.split()) == "".join(text[start:end].split())
        for (a, b), (c, d) in pairwise(spans):
            assert start <= a < b <= c < d <= end and text[b:c].strip() == ""


def test_a_right_to_left_mark_after_the_full_stop_does_not_hide_the_sentence_end() -> None:
    text = "وصل الوزير إلى أنقرة.\u200f هل ستنجح المحادثات؟"
    assert _sentences(text) == ["وصل الوزير إلى أنقرة.\u200f", "هل ستنجح المحادثات؟"]


def test_line_paragraphs_are_the_kept_lines_without_their_edge_spaces() -> None:
    lines = ["Headline", "  Body text here.  ", "Last"]
    text = "\n\n".join(lines)  # how the cleaned text joins its kept lines
    spans = passages.line_paragraphs(lines)
    assert [text[s:e] for s, e in spans] == ["Headline", "Body text here.", "Last"]


@given(st.text(alphabet=st.sampled_from("ab A.!?…؟。！？\"'”»)] \n\u200f"), max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_sentence_ends_are_the_patterns_matches(text: str, start: int, end: int) -> None:
    """The end finder that searches for an end character first finds exactly the pattern's matches, in any window."""
    from tui.core.passages import _SENTENCE_END, _sentence_ends

    start, end = sorted((min(start, len(text)), min(end, len(text))))
    expected = [m.span() for m in _SENTENCE_END.finditer(text, start, end)]
    assert [m.span() for m in _sentence_ends(text, start, end)] == expected
