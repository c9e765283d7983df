"""The AWS context: sessions from the standard credential chain, one per account, and clients."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound
from botocore.parsers import ResponseParserError

from wa_review import __version__
from wa_review.aws.answers import install_cut_short_detection
from wa_review.aws.assumed import (
    DEFAULT_SESSION_SECONDS,
    assumed_session,
    role_fetcher,
)
from wa_review.aws.guard import install_read_only_guard
from wa_review.aws.missing_api import install_missing_api_fast_fail
from wa_review.aws.organization import OrgMembers, discover_accounts
from wa_review.aws.ratelimit import RateLimiter, RateLimits
from wa_review.aws.recorder import CallRecorder
from wa_review.errors import CredentialsError
from wa_review.model.evidence import FetchError

SessionFactory = Callable[..., Any]
DEFAULT_REGION = "us-east-1"
ALL_REGIONS = "all"
# AssumeRole calls in flight at once when an organization is discovered (STS's own quota is
# enforced by the rate limiter; this only bounds the threads).
ASSUME_WORKERS = 8


@dataclass(frozen=True, slots=True)
class AwsOptions:
    """What the reviewer said on the command line about reaching AWS."""

    profile: str | None = None
    regions: tuple[str, ...] = ()
    role_arns: tuple[str, ...] = ()
    endpoint_url: str | None = None
    max_attempts: int = 8
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # Client-side quotas per (service, quota family); None = the published AWS defaults,
    # RateLimits.off() = no limiting (tests against an in-process mock).
    rate_limits: RateLimits | None = None
    # Ask IAM Access Analyzer (CheckNoPublicAccess) for a second opinion on every collected
    # resource policy it supports. Off by default: AWS bills each of these calls.
    access_analyzer: bool = False
    # Organizations: assume this role (a name, not an ARN) in every active account listed.
    org_role: str | None = None
    org_units: tuple[str, ...] = ()  # only the accounts under these OUs (nested OUs included)
    exclude_accounts: tuple[str, ...] = ()
    accounts_shard: tuple[int, int] | None = None  # (K, N): the K-th of N stable subsets
    # Accounts of the reviewed organization count as part of the workload for the checks.
    trust_org: bool = True
    role_session_seconds: int = DEFAULT_SESSION_SECONDS

    @property
    def all_regions(self) -> bool:
        """`--region all`: every Region enabled in each account."""
        return self.regions == (ALL_REGIONS,)


@dataclass(frozen=True, slots=True)
class AccountSession:
    """One account to review; `unreachable` says why it cannot be (its role was refused)."""

    account: str
    principal_arn: str
    session: Any  # boto3.Session, or an AssumedSession sharing the caller's service models
    unreachable: FetchError | None = None


class AwsContext:
    """Builds guarded, counted clients; never touches AWS at construction or import time."""

    def __init__(
        self,
        options: AwsOptions,
        *,
        session_factory: SessionFactory = boto3.Session,
        recorder: CallRecorder | None = None,
        read_only: bool = True,
    ) -> None:
        self.options = options
        self.recorder = recorder or CallRecorder()
        self.read_only = read_only
        self._session_factory = session_factory
        self._base: Any = None
        self._clients: dict[tuple[str, str, str, str], Any] = {}
        self._lock = threading.Lock()
        self._accounts: list[AccountSession] | None = None
        self._enabled: dict[str, tuple[str, ...]] = {}
        # Set by an --org-role discovery: the organization's accounts and what was skipped.
        self.organization: OrgMembers | None = None
        self.before_send_hooks: list[Callable[..., Any]] = []
        self.rate_limiter = RateLimiter(options.rate_limits)

    # -- sessions ---------------------------------------------------------------------------

    def base_session(self) -> Any:
        if self._base is None:
            try:
                self._base = self._session_factory(profile_name=self.options.profile)
            except ProfileNotFound as err:
                raise CredentialsError(
                    f"AWS profile '{self.options.profile}' was not found.",
                    hint="Check ~/.aws/config, or run 'aws configure list-profiles'.",
                ) from err
        return self._base

    def regions(self) -> tuple[str, ...]:
        """The Regions asked for; with `--region all`, every Region any account has enabled."""
        if self.options.all_regions:
            found = {r for a in self.accounts() for r in self.regions_for(a)}
            return (self.home_region, *sorted(found - {self.home_region}))
        if self.options.regions:
            return self.options.regions
        return (self.home_region,)

    @property
    def home_region(self) -> str:
        if self.options.regions and not self.options.all_regions:
            return self.options.regions[0]
        return str(self.base_session().region_name or DEFAULT_REGION)

    def regions_for(self, account: AccountSession) -> tuple[str, ...]:
        """The Regions to review in `account` (its enabled ones with `--region all`)."""
        if not self.options.all_regions:
            return self.regions()
        if account.unreachable is not None:
            return (self.home_region,)
        with self._lock:
            cached = self._enabled.get(account.account)
        if cached is None:
            cached = self._enabled_regions(account)
            with self._lock:
                self._enabled[account.account] = cached
        return cached

    def _enabled_regions(self, account: AccountSession) -> tuple[str, ...]:
        # DescribeRegions without AllRegions lists exactly the Regions enabled for the account.
        ec2 = self.client(account, "ec2", self.home_region)
        try:
            listed = ec2.describe_regions()["Regions"]
        except (ClientError, BotoCoreError, ResponseParserError) as err:
            code = err.response["Error"].get("Code", "") if isinstance(err, ClientError) else ""
            self.recorder.record_error(
                FetchError(
                    "ec2",
                    "DescribeRegions",
                    code or type(err).__name__,
                    f"{err} (only {self.home_region} is reviewed in this account)",
                    region=self.home_region,
                    account=account.account,
                )
            )
            return (self.home_region,)
        names = sorted(str(r["RegionName"]) for r in listed)
        home = [self.home_region] if self.home_region in names else []
        return tuple(home + [n for n in names if n != self.home_region]) or (self.home_region,)

    def config(self) -> Config:
        return Config(
            retries={"mode": "adaptive", "total_max_attempts": self.options.max_attempts},
            user_agent_extra=f"wa-review/{__version__}",
            connect_timeout=self.options.connect_timeout,
            read_timeout=self.options.read_timeout,
            max_pool_connections=32,
            # A custom endpoint (an emulator) cannot resolve per-account host names such as
            # 123456789012.s3-control...; AWS itself needs them, so only drop them there.
            inject_host_prefix=not self.options.endpoint_url,
        )

    def accounts(self) -> list[AccountSession]:
        """The caller's account, one per --role-arn, or the organization's (--org-role)."""
        if self._accounts is not None:
            return self._accounts
        base = self.base_session()
        caller = self._identity(base)
        if self.options.org_role:
            self._accounts = self._organization_accounts(caller)
        elif self.options.role_arns:
            self._accounts = [self._assume_named(caller, arn) for arn in self.options.role_arns]
        else:
            self._accounts = [caller]
        return self._accounts

    def _assume(self, caller: AccountSession, role_arn: str) -> AccountSession:
        """Assume `role_arn`; raises ClientError (or BotoCoreError) when it is refused."""
        sts = self.client(caller, "sts", self.home_region)
        fetch = role_fetcher(sts, role_arn, self.options.role_session_seconds)
        session = assumed_session(caller.session, fetch, self.home_region)
        account = role_arn.split(":")[4]
        return AccountSession(account, role_arn, session)

    def _assume_named(self, caller: AccountSession, role_arn: str) -> AccountSession:
        try:
            return self._assume(caller, role_arn)
        except ClientError as err:
            raise CredentialsError(
                f"Could not assume {role_arn}: {err.response['Error'].get('Code')}",
                hint="Check the role's trust policy allows your identity, and the ARN.",
            ) from err
        except BotoCoreError as err:
            raise CredentialsError(
                f"Could not assume {role_arn}: {err}",
                hint="Check the network, --endpoint-url and --region.",
            ) from err

    def _organization_accounts(self, caller: AccountSession) -> list[AccountSession]:
        options = self.options
        members = discover_accounts(
            self.client(caller, "organizations", self.home_region),
            units=options.org_units,
            exclude=options.exclude_accounts,
            shard=options.accounts_shard,
        )
        self.organization = members
        partition = caller.principal_arn.split(":")[1] or "aws"

        def one(account_id: str) -> AccountSession:
            if account_id == caller.account:
                # The caller is already in this account (the management or delegated-admin
                # one, where the role, made in members by Organizations, is often missing).
                return caller
            role_arn = f"arn:{partition}:iam::{account_id}:role/{options.org_role}"
            try:
                return self._assume(caller, role_arn)
            except (ClientError, BotoCoreError, ResponseParserError) as err:
                refused = _refused(err, role_arn, account_id, self.home_region)
                self.recorder.record_error(refused)
                return AccountSession(account_id, role_arn, None, refused)

        with ThreadPoolExecutor(ASSUME_WORKERS, thread_name_prefix="wa-assume") as pool:
            return list(pool.map(one, [a.id for a in members.reviewed]))

    def _identity(self, session: Any) -> AccountSession:
        sts = self._raw_client(session, "sts", self.home_region)
        try:
            ident = sts.get_caller_identity()
        except NoCredentialsError as err:
            raise CredentialsError(
                "No AWS credentials were found.",
                hint="Use --profile, 'aws sso login', or AWS_* variables; "
                "or try 'wa-review demo', which needs no AWS account.",
            ) from err
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "Error")
            raise CredentialsError(
                f"AWS refused the credentials: {code}.",
                hint="Refresh them (for SSO: 'aws sso login') and try again.",
            ) from err
        except BotoCoreError as err:
            raise CredentialsError(
                f"Could not reach AWS STS: {err}",
                hint="Check the network, --endpoint-url and --region.",
            ) from err
        return AccountSession(str(ident["Account"]), str(ident["Arn"]), session)

    # -- clients ----------------------------------------------------------------------------

    def _raw_client(
        self, session: Any, service: str, region: str, *, quota_scope: str | None = None
    ) -> Any:
        with self._lock:
            client = session.client(
                service,
                region_name=region,
                endpoint_url=self.options.endpoint_url,
                config=self.config(),
            )
        if self.read_only:
            install_read_only_guard(client)
        self.recorder.install(client)
        install_missing_api_fast_fail(client)
        install_cut_short_detection(client, max_attempts=self.options.max_attempts)
        # Registered first, so every attempt takes its token before any other before-send
        # handler (a test's fault injector, moto in-process) answers it.
        # Quotas are per account: every principal of one account draws from the same buckets.
        self.rate_limiter.install(client, scope=quota_scope or id(session))
        if self.options.endpoint_url and service == "s3control":
            client.meta.events.register("before-sign.s3-control.*", _drop_account_host_prefix)
        for hook in self.before_send_hooks:
            client.meta.events.register_first("before-send.*.*", hook)
        return client

    def release(self, account: AccountSession) -> None:
        """Close and forget the clients of an account whose collection is over: their
        connection pools and parsed models would otherwise add up over a whole organization."""
        with self._lock:
            keys = [k for k in self._clients if k[:2] == (account.account, account.principal_arn)]
            dropped = [self._clients.pop(k) for k in keys]
        for client in dropped:
            client.close()

    def client(self, account: AccountSession, service: str, region: str) -> Any:
        """A cached client for (account, service, region), guarded and counted."""
        # The principal is in the key: the management account is both the caller and, through
        # its assumed role, one of the organization's accounts.
        key = (account.account, account.principal_arn, service, region)
        cached = self._clients.get(key)
        if cached is not None:
            return cached
        client = self._raw_client(account.session, service, region, quota_scope=account.account)
        with self._lock:
            return self._clients.setdefault(key, client)


def _refused(err: Exception, role_arn: str, account: str, region: str) -> FetchError:
    """Why an organization's account cannot be reviewed: every check reads it as UNKNOWN."""
    if isinstance(err, ClientError):
        info = err.response.get("Error", {})
        code, message = str(info.get("Code") or "Error"), str(info.get("Message") or err)
    else:
        code, message = type(err).__name__, str(err)
    return FetchError(
        "sts",
        "AssumeRole",
        code,
        f"{message} (check that {role_arn} exists and trusts the caller)",
        region=region,
        account=account,
        resource=role_arn,
    )


def _drop_account_host_prefix(request: Any, **_: Any) -> None:
    """s3control puts the account id in the host name (123456789012.host); an emulator on a
    custom endpoint answers only on the endpoint's own host."""
    scheme, _, rest = request.url.partition("://")
    host, _, path = rest.partition("/")
    prefix, _, remainder = host.partition(".")
    if prefix.isdigit() and len(prefix) == 12 and remainder:
        request.url = f"{scheme}://{remainder}/{path}"
