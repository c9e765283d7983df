"""Milestones (unique names) and the WA Tool's own lens review report PDF."""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from wa_review.errors import UsageError, WaToolError
from wa_review.files import write_atomic
from wa_review.watool.client import FreshRetry, WaClient, call

logger = logging.getLogger(__name__)

NAME_MIN, NAME_MAX = 3, 100
SUFFIX_ATTEMPTS = 20
# "Milestones per workload: 100" (AWS's WA Tool quotas page; MilestoneNumber is 1-100 in the
# service model): the next CreateMilestone is ServiceQuotaExceededException.
MILESTONES_MAX = 100


def milestone_token(workload_id: str, name: str) -> str:
    return hashlib.sha256(f"milestone\0{workload_id}\0{name}".encode()).hexdigest()


def default_milestone_name(now: datetime) -> str:
    return f"wa-review-sec2-{now:%Y%m%d-%H%M%S}"


def check_milestone_name(name: str) -> str:
    name = name.strip()
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise UsageError(
            f"Milestone name {name!r} must be {NAME_MIN}-{NAME_MAX} characters (is {len(name)})."
        )
    return name


def milestones_used(client: WaClient, workload_id: str, *, fresh: FreshRetry | None) -> int:
    """How many milestones the workload holds (ListMilestones, looped on NextToken)."""
    params: dict[str, Any] = {"WorkloadId": workload_id, "MaxResults": 50}
    count, seen = 0, set()
    while True:
        page = call(client, "ListMilestones", fresh=fresh, **params)
        count += len(page.get("MilestoneSummaries", []))
        token = page.get("NextToken")
        if not token or token in seen:
            return count
        seen.add(token)
        params["NextToken"] = token


def _with_suffix(name: str, n: int) -> str:
    suffix = f"-{n}"
    return name[: NAME_MAX - len(suffix)] + suffix


def create_milestone(
    client: WaClient, workload_id: str, name: str, *, fresh: FreshRetry | None
) -> tuple[int, str]:
    """Record a milestone; a taken name gets -2, -3, ... Returns (number, name used)."""
    candidate = check_milestone_name(name)
    for attempt in range(1, SUFFIX_ATTEMPTS + 1):
        try:
            created = call(
                client,
                "CreateMilestone",
                fresh=fresh,
                passthrough=("ConflictException",),
                WorkloadId=workload_id,
                MilestoneName=candidate,
                # One token per workload and name: a retry after a lost answer gets the
                # original milestone back instead of a second one.
                ClientRequestToken=milestone_token(workload_id, candidate),
            )
            return int(created["MilestoneNumber"]), candidate
        except ClientError:
            logger.info("Milestone name %r is taken; trying another", candidate)
            candidate = _with_suffix(name, attempt + 1)
    raise WaToolError(
        f"Could not find a free milestone name starting with {name!r}.",
        hint="Pass another --milestone name.",
    )


def save_lens_review_report(
    client: WaClient,
    workload_id: str,
    lens_alias: str,
    path: Path,
    *,
    milestone_number: int | None,
    fresh: FreshRetry | None,
) -> Path:
    """Fetch the report (of the milestone, else the current state), decode and write it."""
    params: dict[str, Any] = {"WorkloadId": workload_id, "LensAlias": lens_alias}
    if milestone_number is not None:
        params["MilestoneNumber"] = milestone_number
    report = call(client, "GetLensReviewReport", fresh=fresh, **params)["LensReviewReport"]
    try:
        pdf = base64.b64decode(report.get("Base64String", ""), validate=True)
    except (binascii.Error, ValueError) as err:
        raise WaToolError(
            "The WA Tool returned a lens review report that is not valid base64."
        ) from err
    if not pdf.startswith(b"%PDF"):
        raise WaToolError("The WA Tool returned a lens review report that is not a PDF.")
    write_atomic(path, pdf)
    return path
