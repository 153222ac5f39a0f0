"""The cleaner on pages in other languages and scripts, and its warnings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.clean import KEPT_KINDS, clean_text
from tui.core.cleaned import PARAGRAPH_SEPARATOR

MENU = ["Home", "News", "World", "Sport", "Login"]

PAGES = {
    "ru": (
        ["Главная", "Новости", "Политика", "Экономика", "Поиск"],
        "Россия и Турция договорились о новом раунде переговоров",
        [
            "Министры иностранных дел России и Турции встретились во вторник в Анкаре, чтобы обсудить ситуацию в Сирии и поставки газа.",
            "По словам участников, переговоры прошли в конструктивной атмосфере, и стороны "
            "договорились продолжить консультации на уровне экспертов.",
            "Следующая встреча запланирована на весну, однако точная дата пока не определена, сообщили в министерстве.",
        ],
        ["Читайте также: Эрдоган посетит Москву в марте", "Комментарии", "© 2024 Новости дня"],
    ),
    "ko": (
        ["홈", "뉴스", "정치", "경제", "검색"],
        "러시아와 터키, 새로운 협상 라운드에 합의",
        [
            "러시아와 터키 외무장관은 화요일 앙카라에서 만나 시리아 상황과 가스 공급 문제를 논의했다.",
            "참석자들에 따르면 회담은 건설적인 분위기 속에서 진행됐으며 양측은 전문가 수준의 협의를 계속하기로 했다.",
            "다음 회담은 봄으로 예정되어 있지만 정확한 날짜는 아직 정해지지 않았다고 외교부는 밝혔다.",
        ],
        ["관련기사", "댓글", "© 2024 뉴스"],
    ),
    "ar": (
        ["الرئيسية", "أخبار", "سياسة", "اقتصاد", "بحث"],
        "روسيا وتركيا تتفقان على جولة جديدة من المفاوضات",
        [
            "التقى وزيرا خارجية روسيا وتركيا يوم الثلاثاء في أنقرة لبحث الوضع في سوريا وإمدادات الغاز بين البلدين.",
            "وبحسب المشاركين، جرت المحادثات في أجواء بناءة، واتفق الجانبان على مواصلة المشاورات على مستوى الخبراء؟",
            "ومن المقرر عقد الاجتماع المقبل في الربيع، لكن الموعد الدقيق لم يحدد بعد، حسبما ذكرت الوزارة.",
        ],
        ["اقرأ أيضا: أردوغان يزور موسكو في مارس", "التعليقات", "© 2024 الأخبار"],
    ),
    "zh": (
        ["首页", "新闻", "政治", "经济", "搜索"],
        "俄罗斯和土耳其同意举行新一轮谈判",
        [
            "俄罗斯和土耳其外长周二在安卡拉会面，讨论了叙利亚局势和天然气供应问题。",
            "据与会者介绍，会谈气氛建设性，双方同意在专家层面继续进行磋商，并将尽快确定技术细节。",
            "外交部表示，下一次会议定于春季举行，但具体日期尚未确定。",
        ],
        ["相关阅读", "评论", "© 2024 新闻"],
    ),
    "tr": (
        ["Ana Sayfa", "Gündem", "Dünya", "Ekonomi", "Arama"],
        "Rusya ve Türkiye yeni bir müzakere turu üzerinde anlaştı",
        [
            "Rusya ve Türkiye dışişleri bakanları salı günü Ankara'da bir araya gelerek Suriye'deki "
            "durumu ve doğal gaz sevkiyatını görüştü.",
            "Katılımcılara göre görüşmeler yapıcı bir havada geçti ve iki taraf uzmanlar düzeyinde "
            "istişarelere devam etme konusunda anlaştı.",
            "İstanbul'daki bir sonraki toplantının ilkbaharda yapılması planlanıyor, ancak kesin tarih henüz belirlenmedi.",
        ],
        ["Devamını oku: Erdoğan mart ayında Moskova'yı ziyaret edecek", "Yorumlar", "© 2024 Haber"],
    ),
    "de": (
        ["Startseite", "Politik", "Wirtschaft", "Sport", "Suche"],
        "Russland und die Türkei vereinbaren neue Verhandlungsrunde",
        [
            "Die Außenminister Russlands und der Türkei trafen sich am Dienstag in Ankara, um über "
            "die Lage in Syrien und Gaslieferungen zu sprechen.",
            "Nach Angaben der Teilnehmer verliefen die Gespräche konstruktiv, und beide Seiten "
            "vereinbarten weitere Beratungen auf Expertenebene.",
            "Das nächste Treffen ist für das Frühjahr geplant, ein genaues Datum steht nach Angaben des Ministeriums aber noch nicht fest.",
        ],
        ["Lesen Sie auch: Erdoğan besucht im März Moskau", "Kommentare", "© 2024 Tagesnachrichten"],
    ),
}


def build(code: str, credit: str | None = None) -> str:
    menu, title, paragraphs, tail = PAGES[code]
    body = [paragraphs[0], credit, *paragraphs[1:]] if credit else paragraphs
    return "\n".join([*menu, "", title, "", *body, *tail, "Impressum", "Kontakt"])


@pytest.mark.parametrize("code", sorted(PAGES))
def test_each_language_keeps_title_and_every_paragraph_and_drops_the_furniture(code: str) -> None:
    menu, title, paragraphs, tail = PAGES[code]
    cleaned = clean_text(build(code))
    assert cleaned.language == code
    assert cleaned.title == title
    assert [line.text for line in cleaned.kept] == [title, *paragraphs]  # menus, links, footer dropped
    dropped = {line.text: line.kind for line in cleaned.lines if not line.keep}
    assert all(dropped[line] == "boilerplate" for line in [*menu, *tail])
    assert cleaned.warnings == []


def test_a_photo_credit_in_german_is_a_caption() -> None:
    cleaned = clean_text(build("de", credit="Foto: Jan Berg / dpa"))
    credit = next(line for line in cleaned.lines if line.text == "Foto: Jan Berg / dpa")
    assert credit.kind == "caption" and not credit.keep


def test_a_known_language_skips_identification() -> None:
    assert clean_text(build("de"), language_code="de").language == "de"
    assert clean_text("Home\nNews").language is None  # too little text to tell


def test_a_page_whose_paragraphs_are_mostly_dropped_says_so() -> None:
    # Four paragraphs, each lost among long menus: the densest run holds one of them.
    _, title, paragraphs, _ = PAGES["de"]
    extra = "Die Opposition kritisierte die Vereinbarung scharf und verlangte eine Debatte im Parlament noch vor der Sommerpause."
    blocks = [title]
    for paragraph in [*paragraphs, extra]:
        blocks += [paragraph, *(f"Rubrik {n} mit Verweis" for n in range(30))]
    cleaned = clean_text("\n".join(blocks))
    assert sum(line.kind == "body" for line in cleaned.lines) < 2
    assert len(cleaned.warnings) == 1
    assert "kept 1 of this page's 4 paragraphs" in cleaned.warnings[0]


def test_a_well_cleaned_page_has_no_warning() -> None:
    assert clean_text(build("ru")).warnings == []


scripts = st.text(alphabet="Аб вГ д.ا ب؟ 中文。 İış! ?\u200f", max_size=120)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(scripts, st.sampled_from([*MENU, PAGES["ru"][2][0], PAGES["zh"][2][1]])), max_size=20))
def test_any_script_cleans_to_verbatim_source_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    cleaned = clean_text(text)
    assert [line.text for line in cleaned.lines] == text.split("\n")
    assert cleaned.text == PARAGRAPH_SEPARATOR.join(line.text for line in cleaned.lines if line.keep)
    assert all(line.reason and line.keep == (line.kind in KEPT_KINDS) for line in cleaned.lines)
    assert cleaned.language is None or len(cleaned.language) == 2


def test_right_to_left_marks_after_a_full_stop_still_end_a_sentence() -> None:
    _, title, paragraphs, _ = PAGES["ar"]
    marked = [paragraph + "\u200f" for paragraph in paragraphs]
    cleaned = clean_text("\n".join(["الرئيسية", "أخبار", "", title, "", *marked, "اتصل بنا"]))
    assert [line.text for line in cleaned.kept] == [title, *marked]


def test_a_mistaken_language_does_not_cost_the_article_its_paragraphs() -> None:
    # Sentences are told by their shape alone: the wrong stoplist cannot unmake them.
    _, title, paragraphs, _ = PAGES["de"]
    cleaned = clean_text(build("de"), language_code="tr")
    assert [line.text for line in cleaned.kept] == [title, *paragraphs]
