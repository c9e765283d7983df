"""Command-line options shared by every command that reads AWS (collect, review, demo)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

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


# --- Organizations: which accounts an --org-role review covers ------------------------------


@dataclass(frozen=True, slots=True)
class OrgSelection:
    """What --org-role, --ou, --exclude-account, --accounts-shard and --no-trust-org said."""

    role: str | None = None
    units: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None
    trust: bool = True

    def applied_to(self, options: AwsOptions) -> AwsOptions:
        if self.role is None:
            if self.units or self.exclude or self.shard:
                raise UsageError(
                    "--ou, --exclude-account and --accounts-shard choose among an "
                    "organization's accounts, so they need --org-role.",
                    hint="Add --org-role ROLE_NAME (the role to assume in every account).",
                )
            return options
        if options.role_arns:
            raise UsageError(
                "--org-role and --role-arn both say which accounts to review; give one.",
                hint="--org-role reviews the organization's accounts; --role-arn names each.",
            )
        return replace(
            options,
            org_role=self.role,
            org_units=self.units,
            exclude_accounts=self.exclude,
            accounts_shard=self.shard,
            trust_org=self.trust,
        )


def _role_name(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (not value or ":" in value or "/" in value.strip("/")):
        raise click.BadParameter(
            f"'{value}' is not a role name: give the name the role has in every account "
            "(for example OrganizationAccountAccessRole), not an ARN."
        )
    return value


def _shard(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    index, slash, count = value.partition("/")
    if slash and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count):
        return int(index), int(count)
    raise click.BadParameter(f"'{value}' is not K/N with 1 <= K <= N (for example 2/8)")


def org_options(fn: F) -> F:
    """--org-role, --ou, --exclude-account, --accounts-shard and --no-trust-org, handed to the
    command as one `org: OrgSelection`."""

    @functools.wraps(fn)
    def command(
        *args: Any,
        org_role: str | None,
        org_units: tuple[str, ...],
        exclude_accounts: tuple[str, ...],
        accounts_shard: tuple[int, int] | None,
        no_trust_org: bool,
        **kwargs: Any,
    ) -> Any:
        org = OrgSelection(org_role, org_units, exclude_accounts, accounts_shard, not no_trust_org)
        return fn(*args, org=org, **kwargs)

    decorators = [
        click.option(
            "--org-role",
            callback=_role_name,
            help="Review every active account of the organization: list them (from the "
            "management or a delegated-admin account) and assume this role name in each. "
            "Suspended accounts are skipped and listed. With --region all, every Region "
            "enabled in each account is reviewed.",
        ),
        click.option(
            "--ou",
            "org_units",
            multiple=True,
            help="With --org-role: only accounts under this OU (ou-... or r-...), nested OUs "
            "included; repeatable.",
        ),
        click.option(
            "--exclude-account",
            "exclude_accounts",
            multiple=True,
            help="With --org-role: leave this account id out; repeatable.",
        ),
        click.option(
            "--accounts-shard",
            callback=_shard,
            metavar="K/N",
            help="With --org-role: review only the K-th of N stable subsets of the accounts "
            "(for a CI matrix or batch jobs; join the files with 'wa-review merge').",
        ),
        click.option(
            "--no-trust-org",
            is_flag=True,
            help="With --org-role: do not count the organization's accounts as part of the "
            "workload when judging cross-account grants.",
        ),
    ]
    wrapped: Any = command
    for decorator in reversed(decorators):
        wrapped = decorator(wrapped)
    return cast(F, wrapped)
