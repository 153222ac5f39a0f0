"""The coding overview: matrix, coverage, next untagged paragraph (tui.core.overview) and its screen."""

from __future__ import annotations

from typing import ClassVar

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, CSSPathType
from textual.widgets import DataTable, OptionList

from tests.pilot import drawn, screen_text
from tui.core.cleaned import Cleaned, Line
from tui.core.notes.anchor import Target
from tui.core.notes.store import Annotation, ArticleRef
from tui.core.overview import CodedPassage, Matrix, coding_matrix, coverage, next_untagged, tagged_spans
from tui.core.passages import paragraphs
from tui.core.paths import styles_dir
from tui.screens.overview import OverviewScreen

TAGS = ["security", "energy", "Syria", "diplomacy"]


def ann(path: str, start: int, end: int, *tags: str, note: str = "", orphan: bool = False, quote: str = "", id: str = "") -> Annotation:
    target = Target(start, end, quote or f"quote {start}-{end}", "", "")
    return Annotation(id or f"{path}:{start}:{end}", ArticleRef(path, "0" * 64), target, tags, note, "t", "t", orphan)


def cleaned(*lines: tuple[str, bool]) -> Cleaned:
    """A cleaning result from (line, kept) pairs: the source is the lines joined by newlines."""
    out, offset = [], 0
    source = "\n".join(text for text, _ in lines)
    for n, (text, keep) in enumerate(lines, 1):
        out.append(Line(n, offset, offset + len(text), "body" if keep else "boilerplate", "test", keep, False, source))
        offset += len(text) + 1
    return Cleaned(out, None, None)


# --- the matrix ----------------------------------------------------------------


def test_matrix_counts_cells_and_totals() -> None:
    annotations = [
        ann("a.txt", 50, 60, "security"),
        ann("a.txt", 10, 20, "security", "energy"),  # two tags: once in the row total
        ann("b.txt", 0, 5, "Syria", "unknown"),  # "unknown" is not a column
        ann("b.txt", 7, 9, "unknown"),  # no column at all: left out
        ann("c.txt", 3, 4, "diplomacy"),  # an article not among the rows: appended
    ]
    matrix = coding_matrix(annotations, ["b.txt", "a.txt", "empty.txt"], TAGS)
    assert matrix.articles == ["b.txt", "a.txt", "empty.txt", "c.txt"]
    assert matrix.count("a.txt", "security") == 2 and matrix.count("a.txt", "energy") == 1
    assert matrix.count("empty.txt", "security") == 0
    assert matrix.row_total("a.txt") == 2 and matrix.row_total("b.txt") == 1 and matrix.row_total("empty.txt") == 0
    assert [matrix.column_total(tag) for tag in TAGS] == [2, 1, 1, 1]
    assert matrix.total == 4
    # A cell lists its passages by position; None is the whole row, column or matrix.
    assert [p.annotation_id for p in matrix.passages("a.txt", "security")] == ["a.txt:10:20", "a.txt:50:60"]
    assert [p.annotation_id for p in matrix.passages(None, "security")] == ["a.txt:10:20", "a.txt:50:60"]
    assert len(matrix.passages("a.txt", None)) == 2
    assert [p.path for p in matrix.passages(None, None)] == ["b.txt", "a.txt", "a.txt", "c.txt"]
    assert matrix.passages("b.txt", None)[0].tags == ("Syria",)


def test_orphans_count_and_say_so() -> None:
    matrix = coding_matrix([ann("a.txt", 0, 5, "energy", note="gone", orphan=True, quote="lost words")], ["a.txt"], TAGS)
    assert matrix.count("a.txt", "energy") == 1
    [passage] = matrix.passages("a.txt", "energy")
    assert passage == CodedPassage("a.txt:0:5", "a.txt", "lost words", "gone", ("energy",), orphan=True)


ANNOTATION = st.builds(
    lambda path, tags, start: ann(path, start, start + 1, *tags, id=f"{path}{start}{tags}"),
    st.sampled_from(["a", "b", "c", "d"]),
    st.lists(st.sampled_from([*TAGS, "other"]), max_size=3).map(tuple),
    st.integers(0, 1000),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ANNOTATION, max_size=30), st.lists(st.sampled_from(["a", "b", "x"]), unique=True))
def test_matrix_totals_are_the_sums_of_the_cells(annotations: list[Annotation], rows: list[str]) -> None:
    matrix = coding_matrix(annotations, rows, TAGS)
    assert matrix.articles[: len(rows)] == rows and len(set(matrix.articles)) == len(matrix.articles)
    for tag in TAGS:
        assert matrix.column_total(tag) == sum(matrix.count(path, tag) for path in matrix.articles)
        assert matrix.column_total(tag) == len(matrix.passages(None, tag))
    for path in matrix.articles:
        assert matrix.row_total(path) <= sum(matrix.count(path, tag) for tag in TAGS)
        for tag in TAGS:
            assert matrix.count(path, tag) == len(matrix.passages(path, tag))
    assert matrix.total == sum(matrix.row_total(path) for path in matrix.articles)
    assert matrix.total == sum(1 for a in annotations if set(a.tags) & set(TAGS))


# --- coverage -------------------------------------------------------------------


def test_coverage_of_an_empty_text_is_zero() -> None:
    assert coverage(cleaned(), [ann("a", 0, 1, "energy")]) == 0.0
    assert coverage(cleaned(("dropped line", False)), [ann("a", 0, 5, "energy")]) == 0.0


def test_coverage_counts_kept_characters_once_without_white_space() -> None:
    text = cleaned(("abcd efgh", True), ("dropped", False), ("ijkl", True))  # source offsets: 0, 10, 18
    assert coverage(text, [ann("a", 0, 22, "energy")]) == 1.0
    assert coverage(text, []) == 0.0
    # "abcd" of 12 visible characters; the overlapping second span adds "ef" only.
    assert coverage(text, [ann("a", 0, 4, "x")]) == 4 / 12
    assert coverage(text, [ann("a", 0, 4, "x"), ann("a", 2, 7, "y")]) == 6 / 12
    # A span over the dropped line counts only its kept parts; one inside it, nothing.
    assert coverage(text, [ann("a", 5, 20, "x")]) == 6 / 12
    assert coverage(text, [ann("a", 11, 15, "x")]) == 0.0
    assert coverage(text, [ann("a", 0, 22, "x", orphan=True)]) == 0.0


def test_tagged_spans_are_in_cleaned_offsets() -> None:
    text = cleaned(("dropped", False), ("abcd efgh", True), ("dropped", False), ("ijkl", True))  # 0, 8, 18, 26
    assert text.text == "abcd efgh\n\nijkl"
    spans = tagged_spans(text, [ann("a", 13, 28, "x"), ann("a", 0, 3, "x"), ann("a", 0, 10, "x")])
    assert [text.text[s:e] for s, e in spans] == ["efgh\n\nij", "ab"]


LINES = st.lists(st.tuples(st.text(alphabet="ab \t", max_size=8), st.booleans()), max_size=6)


@settings(max_examples=300, deadline=None)
@given(LINES, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20), st.booleans()), max_size=5))
def test_coverage_matches_counting_character_by_character(lines, spans) -> None:
    text = cleaned(*lines)
    annotations = [ann("a", start, start + length, "x", orphan=orphan) for start, length, orphan in spans]
    # The oracle: every visible kept character, covered if a non-orphan span holds its source offset.
    visible = [line.start + k for line in text.kept for k, char in enumerate(line.text) if not char.isspace()]
    live = [(a.target.start, a.target.end) for a in annotations if not a.orphan]
    covered = sum(1 for offset in visible if any(s <= offset < e for s, e in live))
    share = coverage(text, annotations)
    assert 0.0 <= share <= 1.0
    assert share == (covered / len(visible) if visible else 0.0)


# --- next untagged paragraph ----------------------------------------------------------


def test_next_untagged_skips_tagged_paragraphs_and_wraps() -> None:
    paras = [(0, 10), (12, 20), (22, 30)]
    assert next_untagged(paras, [(12, 15)], after=0) == (22, 30)
    assert next_untagged(paras, [(12, 15)], after=22) == (0, 10)  # wraps round
    assert next_untagged(paras, [(0, 10), (25, 26)], after=0) == (12, 20)
    assert next_untagged(paras, [(10, 12)], after=0) == (12, 20)  # a span in the gap touches neither
    assert next_untagged(paras, [(0, 13), (29, 40)], after=0) is None
    assert next_untagged(paras, [(0, 10), (22, 30)], after=12) == (12, 20)  # only the current one is left
    assert next_untagged([], [], after=0) is None


PARAGRAPH_TEXT = st.lists(st.text(alphabet="ab ", min_size=1, max_size=6), min_size=1, max_size=8).map("\n\n".join)


@settings(max_examples=300, deadline=None)
@given(PARAGRAPH_TEXT, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=4), st.integers(0, 60))
def test_next_untagged_is_the_first_untouched_paragraph_in_reading_order(text, spans, after) -> None:
    paras = paragraphs(text)
    tagged = [(start, start + length) for start, length in spans]
    untouched = [p for p in paras if not any(s < p[1] and e > p[0] and e > s for s, e in tagged)]
    order = [p for p in untouched if p[0] > after] + [p for p in untouched if p[0] <= after]
    assert next_untagged(paras, tagged, after) == (order[0] if order else None)


# --- the screen -------------------------------------------------------------------


def sample_matrix() -> Matrix:
    annotations = [
        ann(
            "pipeline.txt", 100, 180, "energy", "diplomacy",
            quote="Turkey and Azerbaijan signed a long-delayed transit agreement on Monday, officials said.",
            note="The key claim of the article; compare with the Reuters copy.",
        ),
        ann("pipeline.txt", 20, 60, "energy", quote="The [bold]pipeline[/bold] will carry gas west.", note="[red]check[/red] the figure"),
        ann("patrols.txt", 5, 50, "security", quote="Patrols in the Black Sea doubled this spring.", note=""),
        ann("patrols.txt", 70, 90, "security", quote="The fleet left port.", note="orphaned", orphan=True),
    ]
    return coding_matrix(annotations, ["pipeline.txt", "patrols.txt", "spur.txt"], TAGS)


TITLES = {
    "pipeline.txt": "Pipeline deal [bold]signed[/bold] after years of talks",
    "patrols.txt": "Black Sea patrols doubled",
    "spur.txt": "Syria spur proposal",
}
COVERAGE = {"pipeline.txt": 0.425, "patrols.txt": 0.08}


class Host(App):
    """A bare app that shows the overview and keeps what it returns."""

    CSS_PATH: ClassVar[CSSPathType] = [str(styles_dir() / "overview.tcss")]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[CodedPassage | None] = []

    def on_mount(self) -> None:
        self.push_screen(OverviewScreen(sample_matrix(), TITLES, COVERAGE), self.results.append)


async def test_the_table_shows_counts_totals_and_coverage_literally() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#overview-table", DataTable)
        assert app.focused is table
        shown = screen_text(table)
        assert "Pipeline deal [bold]signed[/bold]" in shown  # markup shown as typed
        rows = [" ".join(line.split()) for line in shown.splitlines()]
        assert any(row.startswith("Pipeline deal") and row.endswith("· 2 · 1 2 42%") for row in rows)
        assert any(row.startswith("Black Sea patrols doubled 2 · · · 2 8%") for row in rows)
        assert any(row.startswith("Syria spur proposal · · · · · –") for row in rows)
        assert any(row.startswith("total 2 2 · 1 4") for row in rows)


async def test_enter_on_a_cell_lists_its_passages_and_enter_on_one_returns_it() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("right", "right", "enter")  # pipeline.txt × energy
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert app.focused is options and options.option_count == 2
        listed = screen_text(options)
        assert "The [bold]pipeline[/bold] will carry gas west." in listed
        assert "[red]check[/red] the figure" in listed
        assert "Turkey and Azerbaijan signed" in listed and "Pipeline deal" in listed
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, OverviewScreen)
        [chosen] = app.results
        assert chosen is not None and chosen.quote.startswith("Turkey and Azerbaijan") and chosen.path == "pipeline.txt"


async def test_total_cells_list_whole_rows_and_columns() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("down", "enter")  # the patrols row, its title cell: the whole row
        await pilot.pause()
        assert [p.path for p in screen.shown] == ["patrols.txt", "patrols.txt"]
        assert "orphan ·" in screen_text(screen.query_one(OptionList))
        await pilot.press("tab")  # back to the table
        assert isinstance(app.focused, DataTable)
        await pilot.press("down", "down", "right", "right", "enter")  # totals row × energy: the column
        await pilot.pause()
        assert [p.tags for p in screen.shown] == [("energy",), ("energy", "diplomacy")]
        await pilot.press("escape")
        await pilot.press("right", "right", "right", "enter")  # totals row × total: everything
        await pilot.pause()
        assert len(screen.shown) == 4
        assert "4 passages · every tag · every article" in str(screen.query_one("#overview-caption").render())


async def test_escape_leaves_the_list_then_closes() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
        await pilot.press("escape")
        assert isinstance(app.focused, DataTable) and isinstance(app.screen, OverviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None] and not isinstance(app.screen, OverviewScreen)


def test_snapshot_overview_80x24(snap_compare) -> None:
    async def choose_a_cell(pilot) -> None:
        await pilot.pause()
        await pilot.press("right", "right", "enter")
        await drawn(pilot)

    assert snap_compare(Host(), terminal_size=(80, 24), run_before=choose_a_cell)
