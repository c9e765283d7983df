"""Command-line options shared by every command that reads AWS (collect, review, demo)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from wa_review.aws.context import AwsOptions
from wa_review.aws.ratelimit import RateLimits, parse_quota
from wa_review.aws.scope import parse_tag as scope_parse_tag
from wa_review.commands.params import ACCOUNT_ID, ENDPOINT_URL, ORG_ID, REGION, ROLE_ARN
from wa_review.errors import UsageError
from wa_review.model.inventory import CheckConfig

F = TypeVar("F", bound=Callable[..., Any])


def parse_tag(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    try:
        return tuple(scope_parse_tag(value) for value in values)
    except UsageError as err:
        raise click.BadParameter(f"{err.message} (for example --tag app=airline)") from err


def parse_quotas(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> RateLimits | None:
    if not values:
        return None
    try:
        return RateLimits.defaults().overriding(dict(parse_quota(v) for v in values))
    except ValueError as err:
        raise click.BadParameter(str(err)) from err


def aws_options(fn: F) -> F:
    """--profile, --region, --role-arn, --endpoint-url, --quota, --stack, --tag and
    --access-analyzer."""
    decorators = [
        click.option("--profile", help="AWS profile (default: the standard credential chain)."),
        click.option(
            "--region",
            "regions",
            multiple=True,
            type=REGION,
            help="Region to review; repeat for several (default: the profile's region).",
        ),
        click.option(
            "--role-arn",
            "role_arns",
            multiple=True,
            type=ROLE_ARN,
            help="Role to assume per account, for multi-account workloads; repeatable.",
        ),
        click.option(
            "--endpoint-url",
            envvar="AWS_ENDPOINT_URL",
            type=ENDPOINT_URL,
            help="Send every AWS call here (a local emulator); AWS_ENDPOINT_URL is honoured too.",
        ),
        click.option(
            "--quota",
            "quotas",
            multiple=True,
            callback=parse_quotas,
            help="Client-side rate for a quota family after a quota increase, e.g. "
            "lambda:GetPolicy=30 or ec2:Describe*=40/200 (per second / burst); repeatable.",
        ),
        click.option(
            "--stack",
            "stacks",
            multiple=True,
            help="CloudFormation stack in scope (nested stacks included); repeatable.",
        ),
        click.option(
            "--tag",
            "tags",
            multiple=True,
            callback=parse_tag,
            help="KEY=VALUE tag in scope; repeatable.",
        ),
        click.option(
            "--access-analyzer",
            "access_analyzer",
            is_flag=True,
            help="Also ask IAM Access Analyzer (CheckNoPublicAccess) whether each collected "
            "resource policy is public, and flag where it disagrees with wa-review's own "
            "judgement. AWS bills every such call (custom policy checks); off by default.",
        ),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def to_aws_options(
    profile: str | None,
    regions: tuple[str, ...],
    role_arns: tuple[str, ...],
    endpoint_url: str | None,
    quotas: RateLimits | None = None,
    *,
    access_analyzer: bool = False,
) -> AwsOptions:
    return AwsOptions(
        profile=profile,
        regions=regions,
        role_arns=role_arns,
        endpoint_url=endpoint_url,
        rate_limits=quotas,
        access_analyzer=access_analyzer,
    )


def check_options(fn: F) -> F:
    """--trusted-account and --org-id: who counts as part of the workload for the checks."""
    fn = click.option(
        "--org-id",
        type=ORG_ID,
        help="Your AWS Organizations id (o-...), to recognise org-only policies.",
    )(fn)
    return click.option(
        "--trusted-account",
        "trusted",
        multiple=True,
        type=ACCOUNT_ID,
        help="Account id treated as part of the workload; repeatable.",
    )(fn)


def to_check_config(trusted: tuple[str, ...], org_id: str | None) -> CheckConfig:
    return CheckConfig(trusted_accounts=frozenset(trusted), org_id=org_id)
