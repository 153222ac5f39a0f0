"""Boolean tag expressions: ``security AND (Syria OR energy) AND NOT diplomacy``.

One grammar for every place a tag filter exists: ``dossier export --where``,
the list filter's ``tag:(…)`` and the reader's ``F``::

    expression := or
    or         := and ("OR" and)*
    and        := not ("AND" not)*
    not        := "NOT" not | atom
    atom       := "(" expression ")" | NAME | '"' QUOTED '"'

* Operators are words, in any case (``and``, ``Or``); NOT binds tighter than
  AND, and AND tighter than OR, so ``a OR b AND NOT c`` is
  ``a OR (b AND (NOT c))``. AND and OR group from the left.
* A bare tag name is any run of characters but white space, parentheses
  and double quotes. A name with those in it, or a name that is an operator
  word (a tag called "and"), is written in double quotes; inside them ``\\"``
  is a quote and ``\\\\`` a backslash.
* Tag names are matched ignoring case, as the vocabulary finds them.

:func:`parse` raises :class:`TagExpressionError`, one line naming what was
found and where (``unexpected ')' at 14``; positions count characters from 1).
``str()`` of an expression writes it back in this grammar, with the fewest
parentheses: :func:`parse` of it gives an equal expression.
Pure Python: the command line, the core and the reader all use it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

#: The operator words, as written when an expression is printed.
OPERATORS = ("AND", "OR", "NOT")
_SPECIAL = frozenset('()"\\')


class TagExpressionError(ValueError):
    """The expression cannot be read; the message is one line saying what was found where.

    ``what`` is what was found (``unexpected ')'``), ``at`` where (counted
    from 1; 0 for the expression as a whole) and ``hint`` what was wanted:
    a caller that reads an expression inside a longer text (the list
    filter's ``tag:(…)``) says the position in its own text with :meth:`moved`.
    """

    def __init__(self, what: str, at: int = 0, hint: str = "") -> None:
        self.what, self.at, self.hint = what, at, hint
        where = f" at {at}" if at else ""
        super().__init__(f"{what}{where}: {hint}" if hint else f"{what}{where}")

    def moved(self, offset: int) -> TagExpressionError:
        """The same error with its position counted ``offset`` characters further on."""
        return TagExpressionError(self.what, self.at + offset if self.at else 0, self.hint)


class TagExpression:
    """A node of a parsed expression: a tag, NOT, AND or OR."""

    #: Binding strength: the printer puts parentheses round a weaker child.
    strength = 4

    def matches(self, tags: Collection[str]) -> bool:
        """Whether a set of tags (one annotation's, or one article's) satisfies the expression."""
        return self._holds(frozenset(tag.casefold() for tag in tags))

    def _holds(self, folded: frozenset[str]) -> bool:
        raise NotImplementedError

    def names(self) -> list[str]:
        """The tag names the expression mentions, each once, in order of first mention."""
        return list(dict.fromkeys(self._names()))

    def _names(self) -> Iterator[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Tag(TagExpression):
    """A tag name: true when the tags hold it (ignoring case)."""

    name: str

    def _holds(self, folded: frozenset[str]) -> bool:
        return self.name.casefold() in folded

    def _names(self) -> Iterator[str]:
        yield self.name

    def __str__(self) -> str:
        return quoted(self.name)


@dataclass(frozen=True)
class Not(TagExpression):
    """True when its operand is false."""

    operand: TagExpression
    strength = 3

    def _holds(self, folded: frozenset[str]) -> bool:
        return not self.operand._holds(folded)

    def _names(self) -> Iterator[str]:
        yield from self.operand._names()

    def __str__(self) -> str:
        return f"NOT {_wrapped(self.operand, self.strength)}"


@dataclass(frozen=True)
class And(TagExpression):
    """True when both sides are."""

    left: TagExpression
    right: TagExpression
    strength = 2

    def _holds(self, folded: frozenset[str]) -> bool:
        return self.left._holds(folded) and self.right._holds(folded)

    def _names(self) -> Iterator[str]:
        yield from self.left._names()
        yield from self.right._names()

    def __str__(self) -> str:
        # Grouped from the left: a right side of the same strength needs its parentheses.
        return f"{_wrapped(self.left, self.strength)} AND {_wrapped(self.right, self.strength + 1)}"


@dataclass(frozen=True)
class Or(TagExpression):
    """True when either side is."""

    left: TagExpression
    right: TagExpression
    strength = 1

    def _holds(self, folded: frozenset[str]) -> bool:
        return self.left._holds(folded) or self.right._holds(folded)

    def _names(self) -> Iterator[str]:
        yield from self.left._names()
        yield from self.right._names()

    def __str__(self) -> str:
        return f"{_wrapped(self.left, self.strength)} OR {_wrapped(self.right, self.strength + 1)}"


def _wrapped(node: TagExpression, needed: int) -> str:
    """``node`` printed, in parentheses if it binds less tightly than ``needed``."""
    return f"({node})" if node.strength < needed else str(node)


def quoted(name: str) -> str:
    """A tag name as the grammar writes it: bare if it can be, else in double quotes with escapes."""
    bare = name and not any(c.isspace() or c in _SPECIAL for c in name) and name.upper() not in OPERATORS
    if bare:
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "AND", "OR", "NOT", "name", or "end"
    text: str  # the name, or the token as written
    at: int  # its position, counted from 1


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(_Token(c, c, i + 1))
            i += 1
        elif c == '"':
            start, i, chars = i, i + 1, []
            while i < len(text) and text[i] != '"':
                if text[i] == "\\" and i + 1 < len(text):
                    i += 1
                chars.append(text[i])
                i += 1
            if i >= len(text):
                raise TagExpressionError("unclosed quote", start + 1)
            if not chars:
                raise TagExpressionError("empty tag name", start + 1)
            tokens.append(_Token("name", "".join(chars), start + 1))
            i += 1
        else:
            start = i
            while i < len(text) and not text[i].isspace() and text[i] not in '()"':
                i += 1
            word = text[start:i]
            kind = word.upper() if word.upper() in OPERATORS else "name"
            tokens.append(_Token(kind, word, start + 1))
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Reader:
    """A recursive-descent reader over the tokens, one function per level of the grammar."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.n = 0

    @property
    def next(self) -> _Token:
        return self.tokens[self.n]

    def take(self) -> _Token:
        token = self.tokens[self.n]
        self.n += 1
        return token

    def either(self) -> TagExpression:
        node = self.both()
        while self.next.kind == "OR":
            self.take()
            node = Or(node, self.both())
        return node

    def both(self) -> TagExpression:
        node = self.negation()
        while self.next.kind == "AND":
            self.take()
            node = And(node, self.negation())
        return node

    def negation(self) -> TagExpression:
        if self.next.kind == "NOT":
            self.take()
            return Not(self.negation())
        return self.atom()

    def atom(self) -> TagExpression:
        token = self.take()
        if token.kind == "name":
            return Tag(token.text)
        if token.kind == "(":
            inner = self.either()
            closing = self.take()
            if closing.kind != ")":
                raise _unexpected(closing, "expected ')' to close a '('")
            return inner
        raise _unexpected(token, "expected a tag name")


def _unexpected(token: _Token, wanted: str) -> TagExpressionError:
    """The one-line error for a token the grammar has no place for."""
    if token.kind == "end":
        return TagExpressionError("unexpected end", token.at, wanted)
    shown = token.text if len(token.text) <= 30 else token.text[:29] + "…"
    return TagExpressionError(f"unexpected {shown!r}", token.at, wanted)


def parse(text: str) -> TagExpression:
    """The expression written in ``text``; :class:`TagExpressionError` (one line) if it cannot be read."""
    if not text.strip():
        raise TagExpressionError("empty expression", hint="name a tag, e.g. security AND NOT diplomacy")
    reader = _Reader(_tokens(text))
    node = reader.either()
    last = reader.next
    if last.kind != "end":
        wanted = "expected AND or OR" if last.kind in ("name", "(", "NOT") else "nothing to close"
        raise _unexpected(last, wanted)
    return node
