"""Review mode: one article, two analysts side by side, their disagreements marked, a side accepted into ``consensus``.

``D`` opens it on the article on show: the compare panes show that same
article, the left one only analyst A's annotations and the right one only
B's (the pair with the most annotations on it; ``D`` again takes the next
pair when more analysts coded it). Every paragraph on which they code
different tags (:mod:`tui.core.review`, the rule of ``dossier agree``) is
marked ``≠`` in both panes; ``]`` and ``[`` go to the next and previous one
in both panes (scrolling is locked), and ``<``, ``>`` and ``=`` accept the
left, the right or both analysts' annotations overlapping it into the
analyst ``consensus``, as an edit that ``u`` undoes and ``ctrl+r`` redoes.
The status line counts the disagreements left: those no consensus
annotation overlaps yet. Escape (or showing something else on the right)
leaves review. It is refused while blind: it shows the other analysts' coding.

``Review`` owns that state for the reader screen, whose keys call ``key``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.actions import SkipAction

from tui.core.review import CONSENSUS, disagreement_units, pairs_by_count, resolved
from tui.reader.panes import SIDE, ArticlePane

if TYPE_CHECKING:
    from tui.core.notes.model import Annotation
    from tui.core.passages import Span
    from tui.reader.comparing import Comparison
    from tui.reader.host import ReaderHost

#: What each accepting key takes: the left pane's analyst, the right one's, or both.
SIDES = {"left": (0,), "right": (1,), "both": (0, 1)}


class Review:
    """The analysts under review, their disagreements on the article on show, and the keys of review mode."""

    def __init__(self, screen: ReaderHost, compare: Comparison) -> None:
        self.screen = screen
        self.compare = compare
        compare.end_review = self.leave  # showing something else on the right ends review too
        self.analysts: tuple[str, str] | None = None  # (left, right) while reviewing
        self.units: list[Span] = []  # the disagreements on the article on show, source spans in order
        self.done: set[Span] = set()  # those a consensus annotation overlaps

    @property
    def on(self) -> bool:
        """Whether review mode is on."""
        return self.analysts is not None

    def key(self, what: str) -> None:
        """One of review mode's keys; outside review only ``open`` acts (the others' keys keep their usual meaning)."""
        if what == "open":
            self.start()
        elif not self.on:
            raise SkipAction()  # ], [, = and escape: the pane's or the screen's own binding acts
        elif what in ("next", "previous"):
            self.step(1 if what == "next" else -1)
        elif what in SIDES:
            self.accept(what)
        else:
            self.leave()

    # --- opening and leaving --------------------------------------------------

    def start(self) -> None:
        """Read whose annotations the article has (off the event loop), then review the pair with the most (or the next pair)."""
        doc = self.screen.main.document
        if doc is None:
            self.screen.say("open an article to review first")
            return
        if self.screen.notes.blind:
            self.screen.say("review shows the other analysts' coding: B turns blind coding off first")
            return
        rel, notes, current = doc.rel, self.screen.notes, self.analysts

        def read() -> None:
            annotations: list[Annotation] = notes.read(lambda store: store.annotations(rel), [])
            self.screen.app.call_from_thread(self._chosen, rel, pairs_by_count(annotations), current)

        self.screen.run_in_thread(read, group="review")

    def _chosen(self, rel: str, pairs: list[tuple[str, str]], current: tuple[str, str] | None) -> None:
        main = self.screen.main.document
        if main is None or main.rel != rel:
            return  # the analyst went to another article meanwhile
        if not pairs:
            self.screen.say(f"review needs annotations by two analysts on this article (besides {CONSENSUS}'s)")
            return
        at = pairs.index(current) + 1 if current in pairs else 0
        if current is not None and len(pairs) == 1:
            self.screen.say(f"only {current[0]} and {current[1]} annotated this article")
            return
        self.begin(rel, *pairs[at % len(pairs)])

    def begin(self, rel: str, left: str, right: str) -> None:
        """Review ``left`` (left pane) against ``right`` (right pane) on article ``rel``, the one on show."""
        screen = self.screen
        self.analysts = (left, right)
        self.compare.reviewing = True
        self.compare.shared = []  # a compared article's shared passages are not this article's
        if screen.notes.showing is not None:  # every analyst's annotations must reach the panes: each draws its own
            screen.notes.show(None, 0, screen.shown_documents())
        screen.right = "compare"
        side = screen.on_demand(SIDE)
        assert isinstance(side, ArticlePane)
        side.language_of = screen.library.language_of  # cleaned in the language the cache told, as the main pane
        self.compare.locked = True
        for pane, name in ((screen.main, left), (side, right)):
            pane.set_locked(True)
            pane.show_analyst(name)
        screen.main.view.focus()
        if side.document is None or side.document.rel != rel or side.document.preview:
            side.show_message("Reading…")
            side.open(rel, screen.main.selection_source())
        else:
            self.refresh()

    def leave(self) -> None:
        """Leave review: every annotation shows again, and the right pane shows the raw text."""
        if not self.on:
            return
        self.analysts, self.units, self.done = None, [], set()
        self.compare.reviewing = False
        for pane in self.screen.panes():
            pane.show_analyst(None)
            pane.view.set_shared([])
        if self.screen.right == "compare":
            self.screen.right = "raw"  # compare mode ends with it (its lock too)
        self.screen.say("review closed", error=False)

    # --- what is on show --------------------------------------------------------

    def refresh(self) -> None:
        """The article or its notes changed: find the disagreements again, mark them in both panes, count what is left."""
        main, side = self.screen.main, self.screen.side
        doc = main.document
        if self.analysts is None or doc is None or doc.preview:
            return
        if side is not None and side.wanted != doc.rel:
            side.open(doc.rel)  # another article in the main pane: the review follows it
            return
        from tui.core.agreement import document_units

        self.units = disagreement_units(document_units(doc), doc.annotations, *self.analysts)
        self.done = resolved(self.units, doc.annotations)
        for pane in (main, side):
            shown = pane.document if pane is not None else None
            if pane is not None and shown is not None and shown.rel == doc.rel:
                pane.view.set_shared([s for s in (shown.to_clean(*u) for u in self.units) if s is not None], "≠")
        self._say()

    def current(self) -> Span | None:
        """The disagreement the left pane's selection is on, if any."""
        span = self.screen.main.selected_source()
        if span is None:
            return None
        return next((u for u in self.units if u[0] < span[1] and u[1] > span[0]), None)

    def _say(self) -> None:
        assert self.analysts is not None
        left, right = self.analysts
        status = self.screen.status
        saved = status.state.split(" · review ")[0] if status.state.startswith("saved: ") else ""
        here = self.current()
        where = f" · on {self.units.index(here) + 1}: {'resolved' if here in self.done else 'open'}" if here else ""
        summary = f"review {left} ↔ {right}: {len(self.units) - len(self.done)} of {len(self.units)} disagreements left{where}"
        self.screen.say(f"{saved} · {summary}" if saved else summary, error=False)

    # --- the keys ------------------------------------------------------------------

    def step(self, direction: int) -> None:
        """Select the next (1) or previous (-1) disagreement in both panes."""
        at = self.screen.main.selected_source()
        if direction > 0:
            found = next((u for u in self.units if at is None or u[0] > at[0]), None)
        else:
            found = next((u for u in reversed(self.units) if at is not None and u[0] < at[0]), None)
        if found is None:
            self.screen.say("no more disagreements this way" if self.units else "the two analysts agree on this article")
            return
        for pane in self.screen.panes():
            clean = pane.document.to_clean(*found) if pane.document is not None else None
            if clean is not None:
                pane.view.select(*clean)
        self._say()

    def accept(self, side: str) -> None:
        """Copy the chosen side's annotations on the disagreement under the cursor into ``consensus`` (undoable)."""
        unit, doc = self.current(), self.screen.main.document
        if unit is None or doc is None or self.analysts is None:
            self.screen.say("move to a disagreement (] or [) to accept a side")
            return
        chosen = tuple(self.analysts[i] for i in SIDES[side])
        start, end = unit
        label = f"accepted {' and '.join(chosen)}"
        self.screen.notes.submit(label, lambda h: h.accept(doc.ref, doc.text, start, end, chosen, CONSENSUS), self.screen.shown_documents())
        self.screen.status.set_state("saving…")
