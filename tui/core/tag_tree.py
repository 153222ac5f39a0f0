"""The codebook's hierarchy: a tag named ``energy/pipelines`` is a child of ``energy``.

The hierarchy lives in the names themselves (``/`` separates the levels), so
an annotation's tags say where they sit in the tree without a second
record, a tag's parent cannot point at a tag that is gone, and every file
that already holds tag names (exports, other analysts' folders) keeps its
meaning. A parent need not be a tag of its own: ``energy`` stands for its
children in the overview and in filters whether or not it is in the
vocabulary (such a parent is *implied*).

Everything here is pure functions over names, with no Textual and no store,
so the list filter, the reader, the overview and the exporters all call the
same rule: :func:`tag_matches`.
"""

from __future__ import annotations

from collections.abc import Iterable

#: What separates the levels of a tag's name.
SEPARATOR = "/"


def tag_matches(name: str, wanted: str) -> bool:
    """Whether the tag ``name`` is ``wanted`` or one of its descendants, ignoring case.

    ``tag_matches("energy/pipelines", "energy")`` is true; ``"energyX"`` does
    not match ``"energy"``, and a parent does not match its child.
    """
    name, wanted = name.casefold(), wanted.strip().casefold().rstrip(SEPARATOR)
    return name == wanted or (bool(wanted) and name.startswith(wanted + SEPARATOR))


def parent_of(name: str) -> str:
    """The name of the tag's parent, '' for a tag at the top."""
    head, _, _ = name.rpartition(SEPARATOR)
    return head


def leaf(name: str) -> str:
    """The last level of the name: ``pipelines`` for ``energy/pipelines``."""
    return name.rpartition(SEPARATOR)[2]


def depth(name: str) -> int:
    """How many parents the tag has (0 at the top)."""
    return name.count(SEPARATOR)


def ancestors(name: str) -> list[str]:
    """The tag's parents, nearest last: ``a``, ``a/b`` for ``a/b/c``."""
    parts = name.split(SEPARATOR)
    return [SEPARATOR.join(parts[:n]) for n in range(1, len(parts))]


def tree_order(names: Iterable[str]) -> list[str]:
    """The names as a tree, each parent followed by its descendants; implied parents added.

    Top-level tags keep their order, and so do siblings (the vocabulary's order,
    which is also the order of the reader's number keys). A parent that is not
    in ``names`` is added where its first descendant would be.
    """
    given = list(dict.fromkeys(names))
    every: list[str] = []
    for name in given:
        for node in [*ancestors(name), name]:
            if node and node not in every:
                every.append(node)
    children: dict[str, list[str]] = {}
    for name in every:
        children.setdefault(parent_of(name), []).append(name)
    out: list[str] = []

    def walk(parent: str) -> None:
        for child in children.get(parent, []):
            out.append(child)
            walk(child)

    walk("")
    # A name such as "/x" or "a//b" has an empty level: it is its own root, after the others.
    out += [name for name in every if name not in out]
    return out


def implied(names: Iterable[str]) -> list[str]:
    """The parents the names imply that are not among them, in tree order."""
    given = list(names)
    held = set(given)
    return [name for name in tree_order(given) if name not in held]


def matching(names: Iterable[str], wanted: str) -> list[str]:
    """The names that ``wanted`` matches (itself and its descendants), in their order."""
    return [name for name in names if tag_matches(name, wanted)]
