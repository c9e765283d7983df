"""`wa-review policy explain`: judge one resource policy offline and say why."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click

from wa_review.errors import InputFileError, UsageError
from wa_review.policy import RESOURCE_TYPES, PolicyContext, PolicyParseError, Verdict, judge_policy
from wa_review.policy.context import ACCOUNT_ID
from wa_review.policy.load import MAX_TEXT_CHARS

# UTF-8 needs at most 4 bytes a character: reading one byte past this tells "too big" apart.
_MAX_BYTES = MAX_TEXT_CHARS * 4


@click.group()
def policy() -> None:
    """Judge AWS resource policies offline (no AWS calls)."""


@policy.command()
@click.argument("file", metavar="FILE|-")
@click.option("--account", required=True, help="The 12-digit account that owns the resource.")
@click.option(
    "--type",
    "resource_type",
    type=click.Choice(RESOURCE_TYPES),
    default="generic",
    show_default=True,
    help="Resource type: picks the action groups (invoke, read, write, admin...).",
)
@click.option("--arn", "resource_arn", default="", help="The resource's ARN, when known.")
@click.option("--org-id", default=None, help="The owner's organization id (o-...), when known.")
@click.option(
    "--trusted",
    multiple=True,
    help="An account to treat like the owner (repeat for several).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def explain(
    file: str,
    account: str,
    resource_type: str,
    resource_arn: str,
    org_id: str | None,
    trusted: tuple[str, ...],
    fmt: str,
) -> None:
    """Explain who the resource policy in FILE (or `-` for stdin) lets in, and why."""
    for value, option in [(account, "--account"), *((t, "--trusted") for t in trusted)]:
        if not ACCOUNT_ID.match(value):
            raise UsageError(
                f"{option} must be a 12-digit account id, got {value!r}.",
                hint="Copy the id from the resource ARN, e.g. 123456789012.",
            )
    ctx = PolicyContext(
        account_id=account,
        resource_type=resource_type,
        resource_arn=resource_arn,
        org_id=org_id or None,
        trusted_accounts=frozenset(trusted),
    )
    name = "stdin" if file == "-" else file
    data = _read(file, name)
    try:
        verdict = judge_policy(data, ctx)
    except PolicyParseError as err:
        raise PolicyParseError(f"{name}: {err.message}", hint=err.hint) from err
    if fmt == "json":
        click.echo(json.dumps(verdict.to_dict(), indent=2, sort_keys=False))
    else:
        click.echo(render_text(verdict, name, ctx))


def _read(file: str, name: str) -> bytes:
    try:
        if file == "-":
            data = sys.stdin.buffer.read(_MAX_BYTES + 1)
        else:
            with Path(file).open("rb") as fh:
                data = fh.read(_MAX_BYTES + 1)
    except OSError as err:
        raise InputFileError(
            f"Could not read {name}: {err.strerror or err}.",
            hint="Check the path, or pass '-' and pipe the policy in.",
        ) from err
    if len(data) > _MAX_BYTES:
        raise InputFileError(
            f"{name} is larger than {_MAX_BYTES} bytes; no AWS resource policy is that big.",
            hint="Pass the policy document of one resource.",
        )
    return data


def render_text(verdict: Verdict, name: str, ctx: PolicyContext) -> str:
    """The verdict in sentences, for a terminal."""
    lines = [
        f"Policy {name} ({ctx.resource_type}, account {ctx.account_id})",
        f"Most open: {verdict.most_open.value}",
        f"Classes: {', '.join(c.value for c in verdict.classes)}",
        "",
        "By action group:",
    ]
    for group, classes in verdict.by_action_group.items():
        lines.append(f"  {group}: {', '.join(c.value for c in classes)}")
    lines += ["", "Why:"]
    for reason in verdict.reasons:
        where = f"statement {reason.statement}"
        if reason.action_group:
            where += f", {reason.action_group}"
        lines.append(f"  [{reason.access_class.value}] {where}")
        lines.append(_wrap(reason.detail, "    "))
    if verdict.notes:
        lines += ["", "Notes:"]
        lines += [_wrap(n, "  - ") for n in verdict.notes]
    return "\n".join(lines)


def _wrap(text: str, first: str) -> str:
    # ARNs must stay whole when wrapped, or a reader copies "us-" and "east-1" apart.
    return textwrap.fill(
        text,
        width=96,
        initial_indent=first,
        subsequent_indent="    ",
        break_on_hyphens=False,
        break_long_words=False,
    )
