"""Assumed-role sessions that share one set of service models, with credentials that refresh.

A boto3 Session per account loads its own copy of every service model it builds a client
for (tens of MB and about half a second of CPU per account). Here every account gets a light
botocore session that borrows the caller's data loader, so each model is read and parsed once
per process, and its own refreshable credentials: botocore asks `refresh` for new ones shortly
before they expire (15 minutes ahead, 10 at the latest), so a sweep of hundreds of accounts can
outlive the one-hour role session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.session
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials

# AssumeRole's default and longest session without a raised MaxSessionDuration.
DEFAULT_SESSION_SECONDS = 3600
SESSION_NAME = "wa-review"


class _Fixed(CredentialProvider):  # type: ignore[misc]
    """Hands botocore the account's refreshable credentials (the only provider it consults)."""

    METHOD = "assume-role"
    CANONICAL_NAME = "wa-review-assume-role"

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self._credentials


class AssumedSession:
    """What the context needs of a session (`client`, `region_name`) for one assumed role."""

    def __init__(self, core: Any, region_name: str, credentials: RefreshableCredentials) -> None:
        self._core = core
        self.region_name = region_name
        self.credentials = credentials

    def client(self, service: str, **kwargs: Any) -> Any:
        return self._core.create_client(service, **kwargs)


def role_fetcher(sts: Any, role_arn: str, seconds: int) -> Callable[[], dict[str, str]]:
    """A call to AssumeRole in the shape botocore's refresh expects (raises ClientError)."""

    def fetch() -> dict[str, str]:
        creds = sts.assume_role(
            RoleArn=role_arn, RoleSessionName=SESSION_NAME, DurationSeconds=seconds
        )["Credentials"]
        return {
            "access_key": str(creds["AccessKeyId"]),
            "secret_key": str(creds["SecretAccessKey"]),
            "token": str(creds["SessionToken"]),
            "expiry_time": creds["Expiration"].isoformat(),
        }

    return fetch


def assumed_session(
    base: Any, fetch: Callable[[], dict[str, str]], region_name: str
) -> AssumedSession:
    """Assume the role now (so a refusal is known before collection starts) and build a
    session on the base session's data loader, refreshing through `fetch`."""
    credentials = RefreshableCredentials.create_from_metadata(
        metadata=fetch(), refresh_using=fetch, method="assume-role"
    )
    core = botocore.session.Session()
    core.register_component("data_loader", _core_of(base).get_component("data_loader"))
    core.register_component("credential_provider", CredentialResolver([_Fixed(credentials)]))
    return AssumedSession(core, region_name, credentials)


def _core_of(session: Any) -> Any:
    """The botocore session inside a boto3 Session (or the session itself)."""
    return getattr(session, "_session", session)
