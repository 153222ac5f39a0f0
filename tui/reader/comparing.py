"""Compare mode: a second article pane on the right, the passages the two share, and the tag filter.

``c`` picks the article to compare (fuzzy, by title); Tab moves the focus
between the panes and the passage keys act on the focused one. Passages both
articles share (the same or nearly the same sentence, as with reused wire
copy, found by ``tui.core.compare``) are marked ``≈`` in both; ``m`` jumps to
the counterpart, ``=`` locks the two panes' scrolling, ``x`` swaps them and
``f`` shows only the passages with one tag, in both panes; ``F`` asks for a
tag expression (:mod:`tui.core.tag_expression`) and shows only the passages
whose annotation's tags satisfy it.

``Comparison`` owns that state (the pane last focused, the shared passages,
the lock, the filter) for the reader screen, whose keys call it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.core.tag_tree import tree_order
from tui.reader.panes import SIDE, ArticlePane
from tui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from tui.core.compare import SharedPassage
    from tui.core.document import Document
    from tui.core.tag_expression import TagExpression
    from tui.reader.host import ReaderHost

Span = tuple[int, int]


class Comparison:
    """The second pane's state and the keys of compare mode."""

    def __init__(self, screen: ReaderHost) -> None:
        self.screen = screen
        self.active: ArticlePane | None = None  # the article pane that last had the focus
        self.shared: list[SharedPassage] = []  # the passages the two articles on screen share
        self.locked = False  # the panes scroll together
        self.only: str | None = None  # the tag filter, in both panes (an expression's as written)
        self.expression: TagExpression | None = None  # the tag filter, when it is an expression (F)
        self.reviewing = False  # review mode (reviewing.py): the same article on both sides, on purpose
        self.end_review: Callable[[], object] | None = None  # how review mode ends when the right pane changes

    @property
    def on(self) -> bool:
        """Whether a second article is on the right."""
        return self.screen.right == "compare" and self.screen.side is not None

    def _say(self, message: str, error: bool = True) -> None:
        self.screen.say(message, error)

    def pick(self) -> None:
        """Pick an article to read beside the current one."""
        from tui.screens.picker import ArticlePicker

        main = self.screen.main.document
        current = main.rel if main else None
        entries = [(e.rel, e.title) for e in self.screen.library.articles.entries if e.rel != current]
        if not entries:
            self._say("there is no other article to compare with")
            return
        self.screen.app.push_screen(ArticlePicker(entries), self._chosen)

    def _chosen(self, rel: str | None) -> None:
        if rel is None:
            return
        self.screen.right = "compare"
        side = self.screen.on_demand(SIDE)
        assert isinstance(side, ArticlePane)
        side.language_of = self.screen.library.language_of  # cleaned in the language the cache told, as the main pane
        side.show_message("Reading…")  # keys must not act on the article that was there
        side.open(rel)
        side.view.focus()

    def leave(self) -> None:
        """The right pane shows something else now: forget the shared passages and the lock, and say so."""
        if self.reviewing and self.end_review is not None:
            self.end_review()
        if self.shared or self.locked:
            self._say("compare mode closed", error=False)  # not "24 shared passages" or "locked" any more
        if self.shared:
            self._set_shared([])
        if self.locked:
            self.locked = False
            for pane in self.screen.panes():
                pane.set_locked(False)
        side = self.screen.side
        if side is not None and side.view.has_focus:
            self.screen.main.view.focus()

    def shown(self, pane: ArticlePane) -> None:
        """An article landed in ``pane``: look for the passages the two share again."""
        if self.shared:  # they were the old article's
            self._set_shared([])
        main = self.screen.main.document
        side = self.screen.side.document if self.screen.side is not None else None
        if not self.on or main is None or side is None or self.reviewing:
            return  # in review both panes show one article, one analyst each: nothing to compare
        if main.rel == side.rel:
            # An article beside itself shares every sentence and tells nothing.
            self.screen.right = "raw"
            self._say("the compared article is now open on the left: compare mode closed", error=False)
            return
        if not (main.preview or side.preview):  # the whole article follows; compare that
            self.screen.run_in_thread(lambda: self._find_shared(main, side), group="shared")

    def _find_shared(self, left: Document, right: Document) -> None:
        """Compare the two cleaned texts sentence by sentence (in a worker: long articles take a while)."""
        from tui.core.compare import shared_passages

        pairs = shared_passages(left.cleaned.text, right.cleaned.text)
        self.screen.app.call_from_thread(self._show_shared, left, right, pairs)

    def _show_shared(self, left: Document, right: Document, pairs: list[SharedPassage]) -> None:
        side = self.screen.side
        if not self.on or side is None or left is not self.screen.main.document or right is not side.document:
            return  # either pane has changed since, or compare mode was left
        self._set_shared(pairs)
        self._say(f"{len(pairs)} shared passage{'s' if len(pairs) != 1 else ''} (≈; m jumps to the other)", error=False)

    def _set_shared(self, pairs: list[SharedPassage]) -> None:
        self.shared = pairs
        self.screen.main.view.set_shared([p.left for p in pairs])
        side = self.screen.side
        if side is not None:
            side.view.set_shared([p.right for p in pairs])

    def counterpart(self) -> None:
        """Select, in the other pane, the passage shared with the one under the cursor."""
        pane = self.screen.focused_pane()
        selected = pane.view.selected
        side = self.screen.side
        if not self.on or side is None or side.document is None or selected is None:
            self._say("no compared article: press c to pick one")
            return
        pair = counterpart(self.shared, selected, pane is self.screen.main)
        if pair is None:
            self._say("this passage is not shared with the other article")
            return
        other = side if pane is self.screen.main else self.screen.main
        if not other.view.select(*pair[1]):
            self._say("the counterpart is hidden by the tag filter (f shows the next tag, then all)")
            return
        other.view.focus()

    def swap(self) -> None:
        """Swap the main and the compared article."""
        main, side = self.screen.main, self.screen.side
        if not self.on or side is None or side.document is None or main.document is None:
            self._say("no compared article: press c to pick one")
            return
        left, right = main.document, side.document
        keep_left, keep_right = main.selection_source(), side.selection_source()
        for pane, doc in ((main, right), (side, left)):
            pane.forget_reads()  # reads under way are for the old places
            pane.wanted = doc.rel
            pane.document = None
        self.screen.library.articles.highlight(right.rel)
        main.show(right, keep_right)
        side.show(left, keep_left)
        for pane, doc in ((main, right), (side, left)):
            if doc.preview:  # its whole text was still being cleaned for the other pane
                pane.open(doc.rel, pane.selection_source())

    def lock(self) -> None:
        """Lock (or unlock) the scrolling of the two compared articles together."""
        if not self.on:
            self._say("no compared article: press c to pick one")
            return
        self.locked = not self.locked
        self._say(f"scrolling {'locked' if self.locked else 'unlocked'}", error=False)
        for pane in self.screen.panes():
            pane.set_locked(self.locked)

    def scrolled(self, source: ArticleView) -> None:
        """One pane scrolled: with the lock on, the other follows."""
        side = self.screen.side
        if not self.locked or not self.on or side is None or source is not self.screen.focused_pane().view:
            return  # only the pane the analyst moves leads; the other follows without echoing back
        on_left = source is self.screen.main.view
        target = side.view if on_left else self.screen.main.view
        y = follow_y(source, target, self.shared, on_left)
        target.scroll_to(y=max(0, y), animate=False, immediate=True)

    def next_tag_filter(self) -> None:
        """Show only the passages with the next tag (after the last tag: every passage again)."""
        names = tree_order(tag.name for tag in self.screen.tags)  # a parent (energy) comes before its children
        if not names:
            self._say("no tags: press t to add some")
            return
        at = names.index(self.only) + 1 if self.only in names else 0
        self._filter(names[at] if at < len(names) else None)
        self._say(f"showing only passages tagged {self.only}" if self.only else "showing every passage", error=False)

    def ask_tag_expression(self) -> None:
        """Ask for a tag expression; show only the passages whose tags satisfy it (an empty one: every passage)."""
        from tui.core.tag_expression import quoted
        from tui.screens.tag_filter import TagFilterDialog

        names = [tag.name for tag in self.screen.tags]
        current = str(self.expression) if self.expression is not None else quoted(self.only) if self.only else ""
        self.screen.app.push_screen(TagFilterDialog(current, names), self._expression_chosen)

    def _expression_chosen(self, text: str | None) -> None:
        from tui.core.tag_expression import parse

        if text is None:
            return  # cancelled: the filter stays as it was
        if not text.strip():
            self._filter(None)
            self._say("showing every passage", error=False)
            return
        expression = parse(text)  # the dialog closes only on an expression it could read
        self.only, self.expression = str(expression), expression
        for pane in self.screen.panes():
            pane.show_matching(expression)
        known = {tag.name.casefold() for tag in self.screen.tags}
        unknown = [name for name in expression.names() if name.casefold() not in known]
        also = f" (no tag is called {', '.join(unknown)})" if unknown else ""
        self._say(f"showing only passages whose tags satisfy {expression}{also}", error=False)

    def tags_changed(self) -> None:
        """Drop the tag filter if its tag is gone (renamed or removed); an expression stays, and matches what it now can."""
        if self.expression is None and self.only is not None and self.only not in tree_order(tag.name for tag in self.screen.tags):
            self._filter(None)

    def _filter(self, tag: str | None) -> None:
        self.only, self.expression = tag, None
        for pane in self.screen.panes():
            pane.show_only(tag)


def follow_y(source: ArticleView, target: ArticleView, shared: list[SharedPassage], source_is_left: bool) -> int:
    """Where ``target`` should scroll to follow ``source``.

    If the source's selected passage is shared, its counterpart goes level with
    it; otherwise the target moves to the same share of its length.
    """
    pair = counterpart(shared, source.selected, source_is_left) if source.selected else None
    if pair is not None:
        on_screen = source.row_of(pair[0][0]) - round(source.scroll_y)
        return target.row_of(pair[1][0]) - on_screen
    share = source.scroll_y / source.max_scroll_y if source.max_scroll_y else 0.0
    return round(share * target.max_scroll_y)


def counterpart(shared: list[SharedPassage], selected: Span, on_left: bool) -> tuple[Span, Span] | None:
    """The first shared passage overlapping ``selected``: (its span on this side, its span on the other)."""
    start, end = selected
    for pair in shared:
        mine, theirs = (pair.left, pair.right) if on_left else (pair.right, pair.left)
        if mine[0] < end and mine[1] > start:
            return mine, theirs
    return None
