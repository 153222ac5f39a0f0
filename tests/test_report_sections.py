"""The report's sections about articles: the timeline (Mermaid and a table), outlets, sources, memos, citations."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui.core.export.report import ArticleInfo, ReportScope, markdown_report
from tui.core.export.report_sections import Memo, citation, lines_of, link, mermaid_label, sources_section, timeline_section
from tui.core.facts import Fact, Facts
from tui.core.notes.anchor import make_target
from tui.core.notes.model import Annotation, ArticleRef
from tui.core.timeline import timeline

MD = MarkdownIt("commonmark").enable("table")
TEXT = "Headline of the piece\n\nFirst paragraph about gas and security.\n\nSecond paragraph about Syria.\n"
SPANS = [(0, 21), (23, 62), (64, 93)]
SCOPE = ReportScope("corpus", "notes", datetime(2024, 1, 1, tzinfo=UTC))


def annotation(ann_id: str, path: str, quote: str, tags: tuple[str, ...]) -> Annotation:
    start = TEXT.index(quote)
    return Annotation(ann_id, ArticleRef(path, ""), make_target(TEXT, start, start + len(quote)), tags, "",
                      "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")


def facts(**values: str) -> Facts:
    return Facts(tuple(Fact(key, value, "analyst", "set by the analyst") for key, value in values.items()))


def info(path: str, found: Facts | None, memo: Memo | None = None, title: str = "Headline of the piece") -> ArticleInfo:
    return ArticleInfo(path, title, TEXT, SPANS, ("title", "body", "body"), found, memo)


def fences(markdown: str) -> list[str]:
    """The contents of the Mermaid code blocks markdown-it finds."""
    return [tok.content for tok in MD.parse(markdown) if tok.type == "fence" and tok.info == "mermaid"]


def headings(markdown: str) -> list[str]:
    """The headings' text as rendered (escapes resolved)."""
    tokens = MD.parse(markdown)
    return ["".join(c.content for c in tokens[i + 1].children or [] if c.type in ("text", "code_inline"))
            for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def test_the_timeline_is_a_mermaid_chart_per_tag_and_a_table() -> None:
    anns = [annotation("1", "a.txt", "First paragraph", ("energy",)), annotation("2", "b.txt", "Second paragraph", ("energy", "Syria")),
            annotation("3", "c.txt", "Headline", ("energy",))]
    counts = timeline(anns, {"a.txt": "2016-12-20", "b.txt": "2017-02", "c.txt": None}, ["security", "energy", "Syria"])
    section = "\n".join(timeline_section(counts))
    charts = fences(section)
    assert len(charts) == 2  # security has no annotation: no chart of nothing
    assert charts[0] == ('xychart-beta\n    title "energy"\n    x-axis ["2016-12", "2017-01", "2017-02"]\n'
                         '    y-axis "annotations" 0 --> 1\n    bar [1, 0, 1]\n')
    assert charts[1].endswith("bar [0, 0, 1]\n")  # Syria, on the same scale
    html = MD.render(section)
    assert html.count("<table>") == 1 and "<td><em>no date</em></td>" in html  # the undated annotation is counted
    assert "<td>2017-01</td>" not in html  # the table lists months with annotations; the chart shows the quiet one


def test_a_report_with_facts_cites_each_passage_and_lists_its_sources() -> None:
    anns = [annotation("1", "a.txt", "First paragraph about gas", ("energy",))]
    articles = [info("a.txt", facts(source="The World", date="2016-12-20", author="Charles Maynes", url="https://theworld.org/x")),
                info("b.txt", facts(source="TASS"), Memo("Compare with a.txt.", "Why TASS"), title="Other piece")]
    report = markdown_report(anns, articles, ["energy"], SCOPE, corpus_memo=Memo("How did coverage change?", "Energy"))
    assert headings(report) == ["Energy", "Memo", "Counts", "Timeline", "By outlet", "energy", "Sources"]
    assert "The World, 2016\\-12-20, by Charles Maynes, [https://theworld.org/x](<https://theworld.org/x>)  " in report
    sources = report[report.index("## Sources"):]
    assert "- *Headline of the piece* — The World" in sources
    assert "- *Other piece* — TASS (`b.txt`), no passage in this report" in sources
    assert "  Memo: *Why TASS*: Compare with a.txt." in sources
    assert len(fences(report)) == 1


def test_a_report_without_facts_has_none_of_their_sections() -> None:
    anns = [annotation("1", "a.txt", "First paragraph about gas", ("energy",))]
    report = markdown_report(anns, [info("a.txt", None)], ["energy"], SCOPE)
    assert headings(report) == ["Dossier report: corpus", "Counts", "energy"]


def test_links_lead_only_to_the_web() -> None:
    assert link("javascript:alert(1)") == "javascript:alert(1)"  # text, not a link
    assert link("https://e.example/a b>c)") == "[https://e.example/a b\\>c)](<https://e.example/a%20b%3Ec)>)"
    html = MD.render(link("https://e.example/<script>") + "\n")
    assert "<script" not in html and 'href="https://e.example/%3Cscript%3E"' in html
    assert citation({"source": None, "date": None, "author": None, "url": None}) == ""


def test_mermaid_labels_keep_no_syntax() -> None:
    assert mermaid_label('en"ergy %%{init} #quot; :::x\n]', "tag 1") == "en ergy init quot x"
    assert mermaid_label('"""', "tag 2") == "tag 2"
    assert len(mermaid_label("x" * 100, "t")) == 40


def test_multi_line_memos_keep_their_lines() -> None:
    assert lines_of("one\ntwo\n\nthree") == ["one\\", "two", "", "three"]
    out = "\n".join(sources_section([]))
    assert out == ""


# --- nothing an analyst or a page writes breaks the report ---------------------------------------

value = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list('#>|*`_[]<>&!-+=\n \t1.)"%:')),
    min_size=1, max_size=50,
).filter(str.strip)  # a blank value is no value: the report rightly leaves out what it would head
tag_name = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")) | st.sampled_from(list('"%:#')),
                   min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(source=value, author=value, url=value, memo=value, tag=tag_name,
       date=st.sampled_from(["2016-12-20", "2017-02", "2016", "2016-12-20T09:30+03:00"]))
def test_attribute_values_and_memos_never_break_the_report(source, author, url, memo, tag, date) -> None:
    anns = [annotation("id-1", "a.txt", "First paragraph about gas", (tag,))]
    found = facts(source=source, author=author, url=url, date=date)
    report = markdown_report(anns, [info("a.txt", found, Memo(memo, memo))], [tag], SCOPE, corpus_memo=Memo(memo, memo))
    dated = date != "2016"  # a date known only to its year is no month of the timeline
    # A heading's Unicode spaces (U+1680, U+3000, ...) read as one plain space, as Markdown renders them.
    expected = ["Memo", "Counts", *(["Timeline"] if dated else []), "By outlet", " ".join(tag.split()), "Sources"]
    assert headings(report)[1:] == [h for h in expected if h != "Memo" or memo.strip()]
    tokens = MD.parse(report)
    assert [tok.content for tok in tokens if tok.type == "html_block"] == ["<!-- dossier:annotation id-1 -->\n"]
    assert len(fences(report)) == (1 if dated else 0)
    for chart in fences(report):
        lines = chart.splitlines()
        assert [line.split()[0] for line in lines] == ["xychart-beta", "title", "x-axis", "y-axis", "bar"]
        assert lines[1].count('"') == 2  # the title's quotes are the chart's own
    html = MD.render(report)
    assert html.count("<table>") == (3 if dated else 2)  # counts, (timeline,) outlets
    assert "<script" not in html and 'href="javascript' not in html
