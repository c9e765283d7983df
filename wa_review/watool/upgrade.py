"""Upgrade a workload's lens review to the current lens version (UpgradeLensReview).

An upgrade is a write: the WA Tool first saves a milestone holding the answers as they are
(its name is required and unique per workload), then moves the review to the current lens
version, where questions and choices may have new ids. Nothing here decides to upgrade: the
push offers it and the reviewer (or `--upgrade-lens`) says yes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError

from wa_review.errors import WaReviewError, WaToolError
from wa_review.watool.client import IAM_HINT, FreshRetry, WaClient, call, error_code, watool_error
from wa_review.watool.workload import LensReviewInfo

NOT_CURRENT = "NOT_CURRENT"  # the only LensStatus UpgradeLensReview moves on from
NOT_UPGRADED = "The lens review was not upgraded and nothing was written"


def default_upgrade_milestone_name(now: datetime) -> str:
    return f"Before lens upgrade {now:%Y-%m-%d %H:%M:%S} UTC"


@dataclass(frozen=True, slots=True)
class LensUpgradeOffer:
    """A lens review that could be upgraded, and the milestone the upgrade would save."""

    workload_id: str
    workload_name: str
    lens_alias: str
    lens_version: str
    lens_status: str
    milestone_name: str

    def describe(self) -> list[str]:
        return [
            f"The {self.lens_alias} lens review on workload {self.workload_name} is "
            f"{self.lens_status} (version {self.lens_version}).",
            f"Upgrading first saves milestone {self.milestone_name!r} with the answers as they "
            "are, then moves the review to the current lens version; selections on questions "
            "whose choices changed may be cleared.",
        ]


@dataclass(frozen=True, slots=True)
class LensUpgrade:
    """An upgrade that was done: the versions either side and the milestone it saved."""

    lens_alias: str
    version_before: str
    version_after: str
    status_after: str
    milestone_name: str

    def describe(self) -> str:
        return (
            f"Lens review upgraded: {self.lens_alias} version {self.version_before} -> "
            f"{self.version_after}; milestone {self.milestone_name!r} holds the answers from "
            "before"
        )


def request_token(workload_id: str, lens_alias: str, milestone_name: str) -> str:
    """One token per logical upgrade, so a retry after a lost answer is not a second upgrade
    (boto3 does not fill this one: the model does not flag it as an idempotency token)."""
    return hashlib.sha256(f"{workload_id}\0{lens_alias}\0{milestone_name}".encode()).hexdigest()


def upgrade_lens_review(
    client: WaClient, offer: LensUpgradeOffer, *, fresh: FreshRetry | None
) -> None:
    """UpgradeLensReview; every failure says whether the lens review was upgraded."""
    subject = f"workload {offer.workload_name!r}"
    try:
        call(
            client,
            "UpgradeLensReview",
            fresh=fresh,
            passthrough=("ConflictException", "AccessDeniedException"),
            subject=subject,
            WorkloadId=offer.workload_id,
            LensAlias=offer.lens_alias,
            MilestoneName=offer.milestone_name,
            ClientRequestToken=request_token(
                offer.workload_id, offer.lens_alias, offer.milestone_name
            ),
        )
    except ClientError as err:
        error = watool_error("UpgradeLensReview", err, subject=subject)
        if error_code(err) == "ConflictException":
            hint = (
                f"Milestone names are unique per workload and {offer.milestone_name!r} may be "
                "taken: pass another --upgrade-milestone NAME (or leave it out for a "
                "timestamped one)."
            )
        else:
            hint = (
                f"Grant wellarchitected:UpgradeLensReview ({IAM_HINT}), or push without "
                "upgrading (--no-upgrade-lens)."
            )
        raise WaToolError(f"{error.message.rstrip('.')}. {NOT_UPGRADED}.", hint=hint) from err
    except WaReviewError as err:
        raise type(err)(f"{err.message.rstrip('.')}. {NOT_UPGRADED}.", hint=err.hint) from err
    except BotoCoreError as err:  # sent, but no answer came back: it may have been applied
        raise WaToolError(
            f"WA Tool UpgradeLensReview on {subject} got no answer ({err}); the lens review "
            "may or may not have been upgraded. Nothing else was written.",
            hint="Run 'wa-review push --dry-run' to see the lens version the WA Tool holds now.",
        ) from err


def upgrade_done(offer: LensUpgradeOffer, review: LensReviewInfo) -> LensUpgrade:
    """What the upgrade changed, from the lens review read after it."""
    return LensUpgrade(
        lens_alias=offer.lens_alias,
        version_before=offer.lens_version,
        version_after=review.version,
        status_after=review.status,
        milestone_name=offer.milestone_name,
    )


@contextmanager
def reporting_upgrade(upgraded: LensUpgradeOffer | None) -> Iterator[None]:
    """A failure after an upgrade says that the upgrade was made (and nothing else)."""
    try:
        yield
    except WaReviewError as err:
        if upgraded is None:
            raise
        raise type(err)(
            f"{err.message.rstrip('.')}. The {upgraded.lens_alias} lens review was upgraded "
            f"first (milestone {upgraded.milestone_name!r} holds the answers from before); "
            "no answer was written.",
            hint=err.hint,
        ) from err


def with_upgrade_hint(err: WaReviewError, offered: LensUpgradeOffer) -> WaReviewError:
    """Our question did not map onto a lens review that could be upgraded: the old version may
    simply not have it yet."""
    hint = (
        f"The {offered.lens_alias} lens review is {offered.lens_status} (version "
        f"{offered.lens_version}): upgrading it first ('wa-review push --upgrade-lens', or the "
        "WA Tool console) may bring the questions wa-review expects."
    )
    return type(err)(err.message, hint=f"{err.hint} {hint}".strip())
