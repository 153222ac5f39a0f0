"""Compare mode: a second article in the right pane, beside the main one.

A mixin of ``DossierApp``. ``c`` picks the article to compare (fuzzy, by
title); Tab moves the focus between the panes and every key (tags, notes,
selection) acts on the focused one. The passages both articles share (the
same or nearly the same sentence, as with reused wire copy, found by
``tui.core.compare``) are marked ``≈`` in both; ``m`` jumps to the
counterpart, ``=`` locks the two panes' scrolling, ``x`` swaps them and ``f``
shows only the passages with one tag, in both panes.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding

from tui.screens.picker import ArticlePicker
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView

MAIN, SIDE = "article", "compare"

COMPARE_BINDINGS = [
    Binding("c", "compare", "Compare", id="compare"),
    Binding("x", "swap", "Swap compared articles", id="compare.swap", show=False),
    Binding("equals_sign", "lock_scroll", "Lock scrolling of compared articles", id="compare.lock", show=False),
    Binding("m", "counterpart", "Jump to the shared passage's counterpart", id="compare.counterpart", show=False),
    Binding("f", "tag_filter", "Show only one tag's passages (next tag)", id="tag_filter", show=False),
]


class CompareActions:
    """Actions of compare mode; they need the app's panes (``view``, ``doc_in``, ``pane``) and ``open_article``."""

    def action_compare(self) -> None:
        """Pick an article to read beside the current one."""
        current = self.doc.rel if self.doc else None
        entries = [(e.rel, e.title) for e in self.query_one(ArticleList).entries if e.rel != current]
        if not entries:
            self._say("there is no other article to compare with")
            return
        self.push_screen(ArticlePicker(entries), self._compare_with)

    def _compare_with(self, rel: str | None) -> None:
        if rel is None:
            return
        self._right = "compare"
        self.other = None  # keys must not act on the article that was there
        self._layout()
        side = self.view(SIDE)
        side.show_message("Reading…")
        self.open_article(rel, pane=SIDE)
        side.focus()

    def article_shown(self, pane: str) -> None:
        """An article landed in ``pane``: apply the tag filter and look for shared passages again."""
        self.view(pane).show_only(self._only_tag)
        self._pane_title(pane)
        if self._shared:  # they were the old article's
            self._shared = []
            for view in (self.view(MAIN), self.view(SIDE)):
                view.set_shared([])
        if self.doc is not None and self.other is not None and self._right == "compare":
            self._find_shared(self.doc, self.other)

    @work(thread=True, exclusive=True, group="shared")
    def _find_shared(self, left, right) -> None:
        """Compare the two cleaned texts sentence by sentence (off the event loop: long articles take a while)."""
        from tui.core.compare import shared_passages

        if left.preview or right.preview:
            return  # the whole article follows; compare that
        pairs = shared_passages(left.cleaned.text, right.cleaned.text)
        self.call_from_thread(self._show_shared, left, right, pairs)

    def _show_shared(self, left, right, pairs: list) -> None:
        if left is not self.doc or right is not self.other:
            return  # either pane has changed since
        self._shared = pairs
        self.view(MAIN).set_shared([p.left for p in pairs])
        self.view(SIDE).set_shared([p.right for p in pairs])
        self._say(f"{len(pairs)} shared passage{'s' if len(pairs) != 1 else ''} (≈; m jumps to the other)", error=False)

    def action_counterpart(self) -> None:
        """Select, in the other pane, the passage shared with the one under the cursor."""
        pane = self.pane
        selected = self.view(pane).selected
        if self._right != "compare" or self.other is None or selected is None:
            self._say("no compared article: press c to pick one")
            return
        pair = counterpart(self._shared, selected, pane == MAIN)
        if pair is None:
            self._say("this passage is not shared with the other article")
            return
        other = self.view(SIDE if pane == MAIN else MAIN)
        if not other.select(*pair[1]):
            self._say("the counterpart is hidden by the tag filter (f shows the next tag, then all)")
            return
        other.focus()

    def action_swap(self) -> None:
        """Swap the main and the compared article."""
        if self._right != "compare" or self.other is None or self.doc is None:
            self._say("no compared article: press c to pick one")
            return
        main, side = self.doc, self.other
        keep_main, keep_side = self._selection_source(MAIN), self._selection_source(SIDE)
        self._wanted, self._wanted_side = side.rel, main.rel
        self.doc = self.other = None
        self._reads = {pane: number + 1 for pane, number in self._reads.items()}  # reads under way are for the old places
        self.query_one(ArticleList).highlight(side.rel)
        self._show_article(side, keep_side, MAIN)
        self._show_article(main, keep_main, SIDE)
        for pane, doc in ((MAIN, side), (SIDE, main)):
            if doc.preview:  # its whole text was still being cleaned for the other pane
                self.open_article(doc.rel, self._selection_source(pane), pane)

    def action_lock_scroll(self) -> None:
        """Lock (or unlock) the scrolling of the two compared articles together."""
        self._scroll_locked = not self._scroll_locked
        self._say(f"scrolling {'locked' if self._scroll_locked else 'unlocked'}", error=False)
        for pane in self._mounted_panes():
            self._pane_title(pane)

    def on_article_view_scrolled(self, event: ArticleView.Scrolled) -> None:
        source = event.view
        if not self._scroll_locked or self._right != "compare" or source.id != self.pane:
            return  # only the pane the analyst moves leads; the other follows without echoing back
        target = self.view(SIDE if source.id == MAIN else MAIN)
        y = _follow_y(source, target, self._shared, source.id == MAIN)
        target.scroll_to(y=max(0, y), animate=False, immediate=True)

    def action_tag_filter(self) -> None:
        """Show only the passages with the next tag (after the last tag: every passage again)."""
        names = [tag.name for tag in self.tags]
        if not names:
            self._say("no tags: press t to add some")
            return
        at = names.index(self._only_tag) + 1 if self._only_tag in names else 0
        self._only_tag = names[at] if at < len(names) else None
        for pane in self._mounted_panes():
            self.view(pane).show_only(self._only_tag)
            self._pane_title(pane)
        self._say(f"showing only passages tagged {self._only_tag}" if self._only_tag else "showing every passage", error=False)

    def tags_changed(self) -> None:
        """Drop the tag filter if its tag is gone (renamed or removed)."""
        if self._only_tag is not None and self._only_tag not in {tag.name for tag in self.tags}:
            self._only_tag = None
            for pane in self._mounted_panes():
                self.view(pane).show_only(None)
                self._pane_title(pane)

    def _mounted_panes(self) -> list[str]:
        """The article panes on screen: the compare view only once it has been made (its article applies the filter)."""
        return [MAIN, SIDE] if self.on_demand(SIDE, create=False) is not None else [MAIN]

    def _pane_title(self, pane: str) -> None:
        """Name the pane, its step, and the filter and lock in force."""
        view = self.view(pane)
        parts = ["Cleaned" if pane == MAIN else "Compare", f"{view.step}s"]
        if self._only_tag:
            parts.append(f"only {self._only_tag}")
        if self._scroll_locked and self._right == "compare":
            parts.append("locked")
        view.border_title = " · ".join(parts)


def _follow_y(source: ArticleView, target: ArticleView, shared: list, source_is_left: bool) -> int:
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


def counterpart(shared: list, selected: tuple[int, int], on_left: bool) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first shared passage overlapping ``selected``: (its span on this side, its span on the other)."""
    start, end = selected
    for pair in shared:
        mine, theirs = (pair.left, pair.right) if on_left else (pair.right, pair.left)
        if mine[0] < end and mine[1] > start:
            return mine, theirs
    return None
