"""The `--fail-on` option shared by commands that can gate a CI job (exit code 8)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

import click

from wa_review.diffing.text import plain
from wa_review.errors import EXIT_FINDINGS
from wa_review.gates import FailOn, FailOnError, parse_fail_on
from wa_review.model.evidence import Evidence

F = TypeVar("F", bound=Callable[..., Any])

# How many matching findings the gate names before it says "and N more".
SHOWN = 10


class FailOnWords(click.ParamType[str]):
    """One `--fail-on` value: words separated by commas, checked against what the command takes.

    Each value is validated here, so a typo stops the command before it collects anything.
    """

    name = "fail-on"

    def __init__(self, allowed: Collection[str]) -> None:
        self.allowed = frozenset(allowed)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        try:
            parse_fail_on([text], allowed=self.allowed)
        except FailOnError as err:
            self.fail(str(err), param, ctx)
        return text


def fail_on_option(allowed: Collection[str], help: str) -> Callable[[F], F]:
    return click.option(
        "--fail-on",
        "fail_on",
        multiple=True,
        type=FailOnWords(allowed),
        metavar="WHAT[,WHAT]",
        help=help,
    )


def to_gate(values: tuple[str, ...], allowed: Collection[str]) -> FailOn | None:
    """The gate the option asks for, or None when `--fail-on` was not given."""
    return parse_fail_on(values, allowed=allowed) if values else None


def report_gate(gate: FailOn, matched: list[Evidence]) -> int:
    """Say what the gate matched on standard error; the exit code for the command to return."""
    if not matched:
        return 0
    click.echo(
        f"--fail-on matched {len(matched)} finding(s) ({gate.describe()}): exit code {EXIT_FINDINGS}",
        err=True,
    )
    for item in matched[:SHOWN]:
        where = item.resource_arn or f"{item.account} {item.region}"
        click.echo(
            f"  {item.status.value.upper():<8} {plain(item.check_id)}  {plain(where)}", err=True
        )
    if len(matched) > SHOWN:
        click.echo(f"  and {len(matched) - SHOWN} more", err=True)
    return EXIT_FINDINGS
