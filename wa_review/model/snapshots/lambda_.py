"""Lambda: functions (with their resource policies and URLs) and layer versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class ResourcePolicy:
    """A resource policy read for one target; `document` None means no policy exists."""

    target: str  # the ARN the policy belongs to (qualified for an alias)
    document: str | None = None
    error: FetchError | None = None


@dataclass(frozen=True, slots=True)
class FunctionUrl:
    qualifier: str | None
    url: str
    auth_type: str  # AWS_IAM | NONE
    cors_origins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LambdaFunction:
    name: str
    arn: str
    role: str
    runtime: str
    vpc_id: str  # as the API reports it; moto hard-codes one, so derive the VPC from subnets
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    layers: tuple[str, ...]
    env_var_names: tuple[str, ...]  # names only: values are never kept
    # Variables named like AWS keys or holding key-shaped values (the value itself is dropped).
    static_credential_vars: tuple[str, ...]
    in_scope: bool
    aliases: tuple[str, ...] = ()
    policies: tuple[ResourcePolicy, ...] = ()  # unqualified first, then one per alias
    urls: tuple[FunctionUrl, ...] = ()
    aliases_error: FetchError | None = None
    url_error: FetchError | None = None

    @property
    def in_vpc(self) -> bool:
        return bool(self.subnet_ids)


@dataclass(frozen=True, slots=True)
class LayerVersion:
    name: str
    arn: str  # layer version ARN
    version: int
    in_scope: bool
    policy: ResourcePolicy


@dataclass(frozen=True, slots=True)
class LambdaSnapshot:
    service: ClassVar[str] = "lambda"
    functions: tuple[LambdaFunction, ...] = ()
    layers: tuple[LayerVersion, ...] = ()
    listing_error: FetchError | None = None
    layers_error: FetchError | None = None
