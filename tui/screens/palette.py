"""The command palette's provider: every action of the reader, by name.

The commands come from the same ``BINDINGS`` lists the footer and the help
screen use, so each key is also reachable by typing what it does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.screens.help import key_label


class DossierCommands(Provider):
    """Offers every binding of the app and its panes, with its key as help."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = []
        seen: set[tuple[str, int]] = set()
        sources = getattr(self.screen, "command_sources", None)  # the reader's; a dialog offers none
        for namespace, bindings in sources() if sources is not None else []:
            for binding in bindings:
                if not binding.description or (binding.action, id(namespace)) in seen:
                    continue
                seen.add((binding.action, id(namespace)))
                run = partial(self.app.run_action, binding.action, namespace)
                commands.append((binding.description, f"key: {key_label(binding.key)}", run))
        return commands

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands whose name matches what was typed."""
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
