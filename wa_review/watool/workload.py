"""Find, create and prepare the WA Tool workload: exact names, lens association, lens review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from wa_review.errors import UsageError, WaToolError
from wa_review.watool.client import FreshRetry, WaClient, call, watool_error

ENVIRONMENTS = ("PRODUCTION", "PREPRODUCTION")
_WORKLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
_WORKLOAD_ARN = re.compile(r"^arn:aws[\w-]*:wellarchitected:[^:]*:\d{12}:workload/([0-9a-f]{32})$")


def normalise_name(name: str) -> str:
    """Workload names as the service compares them: spaces and capitalisation ignored."""
    return "".join(name.split()).casefold()


def parse_workload_id(value: str) -> str:
    """A workload id, also accepted as a workload ARN (a common mix-up)."""
    value = value.strip()
    arn = _WORKLOAD_ARN.match(value)
    if arn:
        return arn.group(1)
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
        if problems:
            raise UsageError("Cannot create the workload: " + "; ".join(problems) + ".")


@dataclass(frozen=True, slots=True)
class WorkloadRef:
    workload_id: str
    name: str
    lenses: tuple[str, ...]
    created: bool = False

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
        if hits:
            hit = hits[0]
            return WorkloadRef(hit["WorkloadId"], hit["WorkloadName"], tuple(hit.get("Lenses", [])))
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
        workload["WorkloadId"], workload["WorkloadName"], tuple(workload.get("Lenses", []))
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
    return WorkloadRef(created["WorkloadId"], spec.name, ("wellarchitected", lens_alias), True)


def resolve_workload(
    client: WaClient,
    *,
    name: str | None,
    workload_id: str | None,
    create: WorkloadSpec | None,
    lens_alias: str,
    dry_run: bool,
) -> WorkloadRef | None:
    """The workload to push to; None only in a dry run when it would be created."""
    if workload_id:
        return get_workload(client, parse_workload_id(workload_id))
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
    if dry_run:
        create.validate()
        return None
    return create_workload(client, create, lens_alias=lens_alias)


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
    return WorkloadRef(
        workload.workload_id, workload.name, (*workload.lenses, alias), workload.created
    )


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
