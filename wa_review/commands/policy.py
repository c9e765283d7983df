"""`wa-review policy explain`: judge one resource policy offline and say why."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click

from wa_review.errors import EXIT_FINDINGS, InputFileError, UsageError
from wa_review.policy import (
    RESOURCE_TYPES,
    AccessClass,
    PolicyContext,
    PolicyParseError,
    Verdict,
    judge_policy,
)
from wa_review.policy.context import ACCOUNT_ID
from wa_review.policy.load import MAX_TEXT_CHARS, decode_policy
from wa_review.policy.resources import accounts_in_resources
from wa_review.policy.wording import CLASS_WORDS

# UTF-8 needs at most 4 bytes a character: reading one byte past this tells "too big" apart.
_MAX_BYTES = MAX_TEXT_CHARS * 4


@click.group()
def policy() -> None:
    """Judge AWS resource policies offline (no AWS calls)."""


def _fail_on(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> frozenset[AccessClass]:
    """`public,cross_account` (comma-separated and/or repeated, as the other commands' gates)
    -> the access classes that make the command exit 8."""
    if not values:  # not given: no gate
        return frozenset()
    names = [w.strip().lower() for value in values for w in value.split(",") if w.strip()]
    known = {c.value: c for c in AccessClass}
    wrong = [n for n in names if n not in known]
    if wrong or not names:
        raise click.BadParameter(
            f"{', '.join(repr(w) for w in wrong) or repr(','.join(values))} is not an access "
            f"class; use a comma-separated list of: {', '.join(known)}.",
            ctx=ctx,
            param=param,
        )
    return frozenset(known[n] for n in names)


@policy.command()
@click.argument("file", metavar="FILE|-")
@click.option(
    "--account",
    default=None,
    help="The 12-digit account that owns the resource (default: the account in --arn or in "
    "the policy's Resource ARNs).",
)
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
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    callback=_fail_on,
    metavar="CLASS[,CLASS...]",
    help="Exit 8 when the most open class is one of these, e.g. public,cross_account.",
)
def explain(
    file: str,
    account: str | None,
    resource_type: str,
    resource_arn: str,
    org_id: str | None,
    trusted: tuple[str, ...],
    fmt: str,
    fail_on: frozenset[AccessClass],
) -> int:
    """Explain who the resource policy in FILE (or `-` for stdin) lets in, and why."""
    for value, option in [
        *(((account, "--account"),) if account is not None else ()),
        *((t, "--trusted") for t in trusted),
    ]:
        if not ACCOUNT_ID.match(value):
            raise UsageError(
                f"{option} must be a 12-digit account id, got {value!r}.",
                hint="Copy the id from the resource ARN, e.g. 123456789012.",
            )
    name = "stdin" if file == "-" else file
    data = _read(file, name)
    try:
        doc = decode_policy(data)
    except PolicyParseError as err:
        raise PolicyParseError(f"{name}: {err.message}", hint=err.hint) from err
    owner, source = _owner(account, resource_arn, doc, name)
    ctx = PolicyContext(
        account_id=owner,
        resource_type=resource_type,
        resource_arn=resource_arn,
        org_id=org_id or None,
        trusted_accounts=frozenset(trusted),
    )
    verdict = judge_policy(doc, ctx)
    if fmt == "json":
        data_out = {**verdict.to_dict(), "account": owner, "account_from": source}
        click.echo(json.dumps(data_out, indent=2, sort_keys=False))
    else:
        click.echo(render_text(verdict, name, ctx, source))
    if verdict.most_open in fail_on:
        click.echo(
            f"Most open class {verdict.most_open.value} is in --fail-on "
            f"({', '.join(sorted(c.value for c in fail_on))}): exit {EXIT_FINDINGS}.",
            err=True,
        )
        return EXIT_FINDINGS
    return 0


# Where the owner account came from, as the output says it.
_FROM_OPTION = "option"
_FROM_ARN = "arn"
_FROM_RESOURCE = "resource"


def _owner(account: str | None, resource_arn: str, doc: object, name: str) -> tuple[str, str]:
    """The owner account and where it came from: --account, else --arn, else the Resource."""
    if account is not None:
        return account, _FROM_OPTION
    parts = resource_arn.split(":", 5)
    if len(parts) == 6 and ACCOUNT_ID.match(parts[4]):
        return parts[4], _FROM_ARN
    named = accounts_in_resources(doc)
    if len(named) == 1:
        return named[0], _FROM_RESOURCE
    if named:
        raise UsageError(
            f"The Resource ARNs in {name} name several accounts ({', '.join(named)}), so the "
            "owner cannot be told from them.",
            hint="Pass --account with the 12-digit account that owns the resource.",
        )
    raise UsageError(
        f"No account to judge {name} against: --account is not given and neither --arn nor "
        "the policy's Resource names one (S3 bucket ARNs and execute-api:/ carry no account).",
        hint="Pass --account 123456789012 with the account that owns the resource.",
    )


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


def render_text(
    verdict: Verdict, name: str, ctx: PolicyContext, account_from: str = _FROM_OPTION
) -> str:
    """The verdict in sentences, for a terminal."""
    origin = {
        _FROM_OPTION: "",
        _FROM_ARN: ", taken from --arn",
        _FROM_RESOURCE: ", taken from the policy's Resource ARN; pass --account to change it",
    }[account_from]
    top = verdict.most_open
    lines = [
        f"Policy {name} ({ctx.resource_type}, account {ctx.account_id}{origin})",
        f"Most open: {top.value} ({CLASS_WORDS[top]})",
        f"Classes: {', '.join(c.value for c in verdict.classes)}",
        "",
        "By action group:",
    ]
    for group, classes in verdict.by_action_group.items():
        lines.append(f"  {group}: {', '.join(c.value for c in classes)}")
    shown = dict.fromkeys(
        [*verdict.classes, *(c for cs in verdict.by_action_group.values() for c in cs)]
    )
    lines += ["", "What the classes mean:"]
    lines += [f"  {c.value}: {CLASS_WORDS[c]}" for c in shown]
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
