"""`wa-review iam-policy`: print the least-privilege IAM policy wa-review needs."""

from __future__ import annotations

import json

import click

from wa_review.aws.iam_policy import least_privilege_policy
from wa_review.watool.push import WATOOL_IAM_ACTIONS


@click.command("iam-policy")
@click.option(
    "--push",
    "include_push",
    is_flag=True,
    help="Add the Well-Architected Tool actions `push` needs.",
)
def iam_policy(include_push: bool) -> None:
    """Print the IAM policy that collection (and, with --push, the push) needs."""
    click.echo(
        json.dumps(
            least_privilege_policy(push_actions=WATOOL_IAM_ACTIONS if include_push else ()),
            indent=2,
        )
    )
