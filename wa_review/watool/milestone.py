"""Milestones (unique names) and the WA Tool's own lens review report PDF."""

from __future__ import annotations

import base64
import binascii
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


def default_milestone_name(now: datetime) -> str:
    return f"wa-review-sec2-{now:%Y%m%d-%H%M%S}"


def check_milestone_name(name: str) -> str:
    name = name.strip()
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise UsageError(
            f"Milestone name {name!r} must be {NAME_MIN}-{NAME_MAX} characters (is {len(name)})."
        )
    return name


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
