"""Risk-rule conditions in the WA custom-lens style: choice ids with &&, ||, ! and parentheses.

A small recursive-descent parser (never eval). Evaluation follows what the WA Tool was observed
to do with choice-level NOT_APPLICABLE: such a choice is neutral, so it satisfies an `&&` term and
does not satisfy an `||` term; a condition made only of neutral terms is true.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

MAX_DEPTH = 32
_TOKEN = re.compile(r"\s*(?:(?P<op>&&|\|\||!|\(|\))|(?P<id>[A-Za-z0-9_]+)|(?P<bad>\S))")


class ConditionError(ValueError):
    """A condition that does not parse; `column` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at column {column}")
        self.column = column


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Or:
    left: Expr
    right: Expr


Expr = Var | Not | And | Or


def _tokens(text: str) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # only trailing whitespace is left
            break
        if match.group("bad"):
            raise ConditionError(f"unexpected {match.group('bad')!r}", match.start("bad") + 1)
        kind = "op" if match.group("op") else "id"
        found.append((match.group(kind), match.start(kind) + 1))
        pos = match.end()
    return found


class _Parser:
    def __init__(self, text: str, names: Collection[str] | None) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.names = names
        self.end = len(text) + 1

    def peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def column(self) -> int:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else self.end

    def parse(self) -> Expr:
        if not self.tokens:
            raise ConditionError("empty condition", 1)
        expr = self.either(0)
        if self.peek() is not None:
            raise ConditionError(f"unexpected {self.peek()!r}", self.column())
        return expr

    def either(self, depth: int) -> Expr:
        expr = self.both(depth)
        while self.peek() == "||":
            self.index += 1
            expr = Or(expr, self.both(depth))
        return expr

    def both(self, depth: int) -> Expr:
        expr = self.unary(depth)
        while self.peek() == "&&":
            self.index += 1
            expr = And(expr, self.unary(depth))
        return expr

    def unary(self, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise ConditionError("nested too deeply", self.column())
        token, column = self.peek(), self.column()
        if token is None:
            raise ConditionError("expected a choice id", column)
        self.index += 1
        if token == "!":
            return Not(self.unary(depth + 1))
        if token == "(":
            inner = self.either(depth + 1)
            if self.peek() != ")":
                raise ConditionError("expected ')'", self.column())
            self.index += 1
            return inner
        if token in {"&&", "||", ")"}:
            raise ConditionError(f"expected a choice id, got {token!r}", column)
        if self.names is not None and token not in self.names:
            raise ConditionError(f"unknown choice {token!r}", column)
        return Var(token)


def parse_condition(text: str, *, choice_ids: Collection[str] | None = None) -> Expr:
    """Parse `text`; with `choice_ids`, every name must be one of them."""
    return _Parser(text, choice_ids).parse()


def _value(expr: Expr, values: Mapping[str, bool | None]) -> bool | None:
    # None is "neutral" (a not-applicable choice): the identity of both && and ||.
    if isinstance(expr, Var):
        return values.get(expr.name, False)
    if isinstance(expr, Not):
        inner = _value(expr.operand, values)
        return None if inner is None else not inner
    left, right = _value(expr.left, values), _value(expr.right, values)
    if left is None:
        return right
    if right is None:
        return left
    return (left and right) if isinstance(expr, And) else (left or right)


def evaluate(expr: Expr, values: Mapping[str, bool | None]) -> bool:
    """True when the condition holds; `values[id]` is True (selected), False, or None (N/A)."""
    result = _value(expr, values)
    return True if result is None else result


def names_in(expr: Expr) -> frozenset[str]:
    if isinstance(expr, Var):
        return frozenset({expr.name})
    if isinstance(expr, Not):
        return names_in(expr.operand)
    return names_in(expr.left) | names_in(expr.right)
