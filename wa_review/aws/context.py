"""The AWS context: sessions from the standard credential chain, one per account, and clients."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound

from wa_review import __version__
from wa_review.aws.answers import install_cut_short_detection
from wa_review.aws.guard import install_read_only_guard
from wa_review.aws.missing_api import install_missing_api_fast_fail
from wa_review.aws.ratelimit import RateLimiter, RateLimits
from wa_review.aws.recorder import CallRecorder
from wa_review.errors import CredentialsError

SessionFactory = Callable[..., Any]
DEFAULT_REGION = "us-east-1"


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


@dataclass(frozen=True, slots=True)
class AccountSession:
    account: str
    principal_arn: str
    session: Any  # boto3.Session


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
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._lock = threading.Lock()
        self._accounts: list[AccountSession] | None = None
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
        if self.options.regions:
            return self.options.regions
        return (self.base_session().region_name or DEFAULT_REGION,)

    @property
    def home_region(self) -> str:
        return self.regions()[0]

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
        """The caller's account, or one session per --role-arn (AssumeRole)."""
        if self._accounts is not None:
            return self._accounts
        base = self.base_session()
        caller = self._identity(base)
        if not self.options.role_arns:
            self._accounts = [caller]
            return self._accounts
        sts = self._raw_client(base, "sts", self.home_region)
        found: list[AccountSession] = []
        for role_arn in self.options.role_arns:
            try:
                creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="wa-review")[
                    "Credentials"
                ]
            except ClientError as err:
                raise CredentialsError(
                    f"Could not assume {role_arn}: {err.response['Error'].get('Code')}",
                    hint="Check the role's trust policy allows your identity, and the ARN.",
                ) from err
            session = self._session_factory(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
                region_name=self.home_region,
            )
            found.append(self._identity(session))
        self._accounts = found
        return found

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

    def _raw_client(self, session: Any, service: str, region: str) -> Any:
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
        self.rate_limiter.install(client, scope=id(session))
        if self.options.endpoint_url and service == "s3control":
            client.meta.events.register("before-sign.s3-control.*", _drop_account_host_prefix)
        for hook in self.before_send_hooks:
            client.meta.events.register_first("before-send.*.*", hook)
        return client

    def client(self, account: AccountSession, service: str, region: str) -> Any:
        """A cached client for (account, service, region), guarded and counted."""
        key = (account.account, service, region)
        cached = self._clients.get(key)
        if cached is not None:
            return cached
        client = self._raw_client(account.session, service, region)
        with self._lock:
            return self._clients.setdefault(key, client)


def _drop_account_host_prefix(request: Any, **_: Any) -> None:
    """s3control puts the account id in the host name (123456789012.host); an emulator on a
    custom endpoint answers only on the endpoint's own host."""
    scheme, _, rest = request.url.partition("://")
    host, _, path = rest.partition("/")
    prefix, _, remainder = host.partition(".")
    if prefix.isdigit() and len(prefix) == 12 and remainder:
        request.url = f"{scheme}://{remainder}/{path}"
