"""Find, create and prepare the WA Tool workload: exact names, lens association, lens review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from botocore.exceptions import ClientError

from wa_review.errors import UsageError, WaToolError
from wa_review.watool.client import FreshRetry, WaClient, call, watool_error

ENVIRONMENTS = ("PRODUCTION", "PREPRODUCTION")
_WORKLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
_WORKLOAD_ARN = re.compile(
    r"^arn:aws[\w-]*:wellarchitected:([^:]*):\d{12}:workload/([0-9a-f]{32})$"
)


def normalise_name(name: str) -> str:
    """Workload names as the service compares them: spaces and capitalisation ignored."""
    return "".join(name.split()).casefold()


def parse_workload_id(value: str, *, region: str | None = None) -> str:
    """A workload id, also accepted as a workload ARN (a common mix-up).

    Workload ids are unique only within a Region, so an ARN from another Region than the one
    we talk to is refused rather than silently looked up in the wrong place.
    """
    value = value.strip()
    arn = _WORKLOAD_ARN.match(value)
    if arn:
        if region and arn.group(1) and arn.group(1) != region:
            raise UsageError(
                f"The workload ARN is in {arn.group(1)}, but the WA Tool is asked in {region}.",
                hint=f"Pass --region {arn.group(1)} (workload ids are unique per Region).",
            )
        return arn.group(2)
    if not _WORKLOAD_ID.match(value):
        raise UsageError(
            f"{value!r} is not a WA Tool workload id.",
            hint="A workload id is 32 hex characters, e.g. from 'aws wellarchitected list-workloads'.",
        )
    return value


@dataclass(frozen=True, slots=True)
class WorkloadSpec:
    """What CreateWorkload needs (`--create`)."""

    name: str
    environment: str
    review_owner: str
    description: str
    aws_regions: tuple[str, ...]
    account_ids: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """The values CreateWorkload would send, one per line (for the plan)."""
        accounts = ", ".join(self.account_ids) or "(none)"
        return [
            f"  name: {self.name}",
            f"  environment: {self.environment}",
            f"  review owner: {self.review_owner}",
            f"  description: {self.description}",
            f"  AWS Regions: {', '.join(self.aws_regions)}",
            f"  account ids: {accounts}",
        ]

    def validate(self) -> None:
        """The limits the service enforces (botocore checks only minimum lengths)."""
        problems = []
        for label, value, low, high in (
            ("workload name", self.name, 3, 100),
            ("--description", self.description, 3, 250),
            ("--review-owner", self.review_owner, 3, 255),
        ):
            if not low <= len(value) <= high:
                problems.append(f"{label} must be {low}-{high} characters (is {len(value)})")
        if self.environment not in ENVIRONMENTS:
            problems.append(f"--environment must be one of {', '.join(ENVIRONMENTS)}")
        if not 1 <= len(self.aws_regions) <= 50:
            problems.append("a workload needs 1-50 AWS Regions")
        if len(self.account_ids) > 100:
            problems.append("a workload holds at most 100 account ids")
        if problems:
            raise UsageError("Cannot create the workload: " + "; ".join(problems) + ".")


@dataclass(frozen=True, slots=True)
class WorkloadRef:
    workload_id: str
    name: str
    lenses: tuple[str, ...]
    created: bool = False
    owner: str = ""  # the owning account id (a shared workload's is not ours)
    aws_regions: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()

    def has_lens(self, alias: str) -> bool:
        return any(lens == alias or lens.endswith(f":lens/{alias}") for lens in self.lenses)


@dataclass(frozen=True, slots=True)
class LensReviewInfo:
    alias: str
    version: str
    status: str
    name: str


def iter_workloads(client: WaClient, prefix: str = "") -> Iterator[dict[str, Any]]:
    """Every workload summary (ListWorkloads has no boto3 paginator: loop on NextToken)."""
    params: dict[str, Any] = {"MaxResults": 50}
    if prefix:
        params["WorkloadNamePrefix"] = prefix[:100]
    while True:
        page = call(client, "ListWorkloads", **params)
        yield from page.get("WorkloadSummaries", [])
        token = page.get("NextToken")
        if not token:
            return
        params["NextToken"] = token


def find_workload_by_name(client: WaClient, name: str) -> WorkloadRef | None:
    """The workload whose name equals `name` as the service compares names, never a prefix hit.

    The prefix filter narrows the first search; when it finds nothing equal (the service may
    compare prefixes differently from names, e.g. "My App" vs "MyApp"), every workload is checked.
    """
    wanted = normalise_name(name)
    for prefix in (name.strip(), ""):
        hits = [
            s for s in iter_workloads(client, prefix) if normalise_name(s["WorkloadName"]) == wanted
        ]
        if len(hits) > 1:  # cannot happen if the service keeps names unique; never guess
            ids = ", ".join(h["WorkloadId"] for h in hits)
            raise WaToolError(
                f"Several workloads are named like {name!r}: {ids}.",
                hint="Pass --workload-id to choose one.",
            )
        if hits:  # the summary lacks the Regions and accounts the plan compares
            return get_workload(client, str(hits[0]["WorkloadId"]))
    return None


def get_workload(client: WaClient, workload_id: str) -> WorkloadRef:
    try:
        workload = call(
            client,
            "GetWorkload",
            passthrough=("ResourceNotFoundException",),
            WorkloadId=workload_id,
        )["Workload"]
    except ClientError as err:
        raise WaToolError(
            f"No WA Tool workload with id {workload_id} in this Region.",
            hint="Check --workload-id and --region, or pass --workload-name.",
        ) from err
    return WorkloadRef(
        workload["WorkloadId"],
        workload["WorkloadName"],
        tuple(workload.get("Lenses", [])),
        owner=str(workload.get("Owner", "")),
        aws_regions=tuple(workload.get("AwsRegions", [])),
        account_ids=tuple(workload.get("AccountIds", [])),
    )


def create_workload(client: WaClient, spec: WorkloadSpec, *, lens_alias: str) -> WorkloadRef:
    spec.validate()
    try:
        created = call(
            client,
            "CreateWorkload",
            passthrough=("ConflictException",),
            WorkloadName=spec.name,
            Description=spec.description,
            Environment=spec.environment,
            ReviewOwner=spec.review_owner,
            AwsRegions=list(spec.aws_regions),
            AccountIds=list(spec.account_ids),
            Lenses=[lens_alias],
        )
    except ClientError as err:
        error = watool_error("CreateWorkload", err, subject=f"workload {spec.name!r}")
        error.hint = (
            "A workload with the same name (ignoring case and spaces) exists: "
            "pass its exact name or --workload-id, or choose another name."
        )
        raise error from err
    # A new workload carries the Framework lens as well as the ones we asked for.
    return WorkloadRef(
        created["WorkloadId"],
        spec.name,
        ("wellarchitected", lens_alias),
        True,
        aws_regions=spec.aws_regions,
        account_ids=spec.account_ids,
    )


def resolve_workload(
    client: WaClient,
    *,
    name: str | None,
    workload_id: str | None,
    create: WorkloadSpec | None,
    region: str | None = None,
) -> WorkloadRef | None:
    """The workload to push to (reads only); None when it is missing and `create` says how to
    create it: the creation is part of the plan the reviewer confirms, never done here."""
    if workload_id:
        return get_workload(client, parse_workload_id(workload_id, region=region))
    if not name:
        raise UsageError("Pass --workload-name or --workload-id.")
    found = find_workload_by_name(client, name)
    if found is not None:
        return found
    if create is None:
        raise WaToolError(
            f"No WA Tool workload named {name!r} in this Region.",
            hint="Check the name and --region, or pass --create with --environment, "
            "--review-owner and --description to create it.",
        )
    create.validate()
    return None


def associate_lens(
    client: WaClient, workload: WorkloadRef, alias: str, *, fresh: FreshRetry | None
) -> WorkloadRef:
    call(
        client,
        "AssociateLenses",
        fresh=fresh,
        subject=f"workload {workload.name!r}",
        WorkloadId=workload.workload_id,
        LensAliases=[alias],
    )
    return replace(workload, lenses=(*workload.lenses, alias))


def get_lens_review(
    client: WaClient, workload_id: str, alias: str, *, fresh: FreshRetry | None
) -> LensReviewInfo:
    review = call(client, "GetLensReview", fresh=fresh, WorkloadId=workload_id, LensAlias=alias)[
        "LensReview"
    ]
    return LensReviewInfo(
        alias=alias,
        version=str(review.get("LensVersion", "")),
        status=str(review.get("LensStatus", "")),
        name=str(review.get("LensName", alias)),
    )


@dataclass(frozen=True, slots=True)
class LensInfo:
    """An AWS lens as GetLens describes it (a read that needs no workload)."""

    alias: str
    arn: str
    version: str
    name: str


def get_lens(client: WaClient, alias: str) -> LensInfo:
    """The lens as the WA Tool serves it now, for a plan whose workload lacks it: GetLens is the
    read-only call that works without a workload (GetLensReview and GetAnswer need one). It
    says the lens exists and its version; its questions can only be read once it is on a
    workload (AWS lenses cannot be exported)."""
    lens = call(client, "GetLens", LensAlias=alias)["Lens"]
    return LensInfo(
        alias=alias,
        arn=str(lens.get("LensArn", "")),
        version=str(lens.get("LensVersion", "")),
        name=str(lens.get("Name", alias)),
    )


@dataclass(frozen=True, slots=True)
class CoverageUpdate:
    """What UpdateWorkload would add so the workload names every account and Region reviewed."""

    add_regions: tuple[str, ...]
    add_accounts: tuple[str, ...]
    aws_regions: tuple[str, ...]  # the full lists sent (UpdateWorkload replaces them)
    account_ids: tuple[str, ...]

    def describe(self) -> list[str]:
        lines = []
        if self.add_regions:
            lines.append(f"  + AWS Regions: {', '.join(self.add_regions)}")
        if self.add_accounts:
            lines.append(f"  + account ids: {', '.join(self.add_accounts)}")
        return lines


def coverage_update(
    workload: WorkloadRef, regions: tuple[str, ...], accounts: tuple[str, ...]
) -> CoverageUpdate | None:
    """The accounts and Regions the evidence covers that the workload does not list (never
    removes any: a person may have added them in the console); None when nothing is missing."""
    add_regions = tuple(r for r in regions if r not in workload.aws_regions)
    add_accounts = tuple(a for a in accounts if a not in workload.account_ids)
    if not add_regions and not add_accounts:
        return None
    all_regions = (*workload.aws_regions, *add_regions)
    all_accounts = (*workload.account_ids, *add_accounts)
    if len(all_regions) > 50 or len(all_accounts) > 100:
        return None  # over the service's limits: the plan warns instead of updating
    return CoverageUpdate(add_regions, add_accounts, all_regions, all_accounts)


def update_coverage(
    client: WaClient, workload_id: str, update: CoverageUpdate, *, subject: str
) -> None:
    call(
        client,
        "UpdateWorkload",
        subject=subject,
        WorkloadId=workload_id,
        AwsRegions=list(update.aws_regions),
        AccountIds=list(update.account_ids),
    )
