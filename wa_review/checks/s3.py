"""Who may reach the workload's S3 buckets through their policy and Block Public Access (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.policy_grading import Grade, grade_policy
from wa_review.checks.support.registry import check
from wa_review.checks.support.s3_block import applied_switch, each_bucket, unread_levels, where_on
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.s3 import SWITCH_NAMES, Bucket, S3Snapshot

# Both switches together make a bucket non-public whatever its policy and ACLs say: a restricted
# bucket serves only AWS services and this account, and public ACL grants are ignored.
_NEUTRALISING = ("restrict_public_buckets", "ignore_public_acls")
_ALL_SWITCHES = tuple(SWITCH_NAMES)


def _public_basis(bucket: Bucket, grade: Grade | None) -> str:
    policy_text = grade.text if grade else "no policy detail"
    if bucket.policy_is_public and grade is not None and grade.status is Status.FAIL:
        return f"{policy_text}, and AWS's own policy status agrees (IsPublic)"
    if bucket.policy_is_public:
        return f"AWS's own policy status says IsPublic (wa-review reads: {policy_text})"
    return f"{policy_text} (AWS's policy status is unavailable)"


@dataclass(frozen=True, slots=True)
class _Judged:
    """One bucket, judged before it is worded: the judge's grade and who says it is public."""

    snap: S3Snapshot
    bucket: Bucket
    region: str
    grade: Grade | None
    judged_public: bool  # the judge reads the policy as public
    public: bool | None  # AWS's IsPublic when S3 gives it, else the judge's; None: unknown
    unread: list[str]  # Block Public Access levels that could not be read

    def switch(self, name: str) -> bool | None:
        return applied_switch(self.snap, self.bucket, name)

    def where(self, names: tuple[str, ...]) -> str:
        return where_on(self.snap, self.bucket, names)

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = {
            "aws_policy_status_is_public": self.bucket.policy_is_public,
            "judge": self.grade.details if self.grade else {},
            "block_public_access": {n: self.switch(n) for n in _ALL_SWITCHES},
        }
        if self.unread:
            details["unread"] = self.unread
        return details


def _judge(
    inv: AccountInventory, cfg: CheckConfig, snap: S3Snapshot, bucket: Bucket, region: str
) -> _Judged:
    grade = None
    if bucket.policy is not None:
        grade = grade_policy(
            bucket.policy, account=inv.account, resource_type="s3", arn=bucket.arn, cfg=cfg
        )
    judged_public = grade is not None and grade.status is Status.FAIL
    # AWS's own evaluation wins when it is available; the judge decides otherwise.
    public: bool | None = bucket.policy_is_public
    if public is None:
        public = None if grade is not None and grade.status is Status.UNKNOWN else judged_public
    return _Judged(snap, bucket, region, grade, judged_public, public, unread_levels(snap, bucket))


def _bucket_evidence(
    emit: Emitter, inv: AccountInventory, cfg: CheckConfig, snap: S3Snapshot, bucket: Bucket
) -> Evidence:
    region = bucket.region or inv.home_region
    if bucket.policy_error is not None:
        return emit.unknown(bucket.arn, region, bucket.policy_error, f"the policy of {bucket.name}")
    judged = _judge(inv, cfg, snap, bucket, region)
    if judged.public is False:
        return _not_public(emit, judged)
    return _maybe_public(emit, judged)


def _maybe_public(emit: Emitter, judged: _Judged) -> Evidence:
    """The policy makes the bucket public, or could not be judged: Block Public Access decides."""
    bucket, grade, details = judged.bucket, judged.grade, judged.details()
    arn, region, label = bucket.arn, judged.region, bucket.name
    opening = (
        "its policy would make it public"
        if judged.public
        else "its policy could not be judged (it may be public)"
    )
    restricted = judged.switch("restrict_public_buckets")
    if restricted and judged.switch("ignore_public_acls"):
        return emit(
            Status.PASS,
            arn,
            region,
            f"{label}: {opening}, but Block Public Access (RestrictPublicBuckets and "
            f"IgnorePublicAcls {judged.where(_NEUTRALISING)}) neutralises it",
            **details,
        )
    if restricted:
        return emit(
            Status.WARN,
            arn,
            region,
            f"{label}: {opening}; RestrictPublicBuckets "
            f"{judged.where(('restrict_public_buckets',))} neutralises the policy, "
            "but IgnorePublicAcls is not on, so a public ACL grant would still apply "
            "(s3.bucket_acl judges the ACL)",
            **details,
        )
    if judged.public is None:
        text = grade.text if grade else "the policy could not be judged"
        return emit(Status.UNKNOWN, arn, region, f"{label}: {text}", **details)
    if restricted is None:
        return emit(
            Status.UNKNOWN,
            arn,
            region,
            f"{label}: its policy makes it public; whether Block Public Access neutralises it "
            "is unknown: " + "; ".join(judged.unread),
            **details,
        )
    return emit(
        Status.FAIL,
        arn,
        region,
        f"{label}: public: {_public_basis(bucket, grade)}; Block Public Access "
        "RestrictPublicBuckets is off at bucket and account level",
        **details,
    )


def _not_public(emit: Emitter, judged: _Judged) -> Evidence:
    """Not public by policy: a pass only when all four Block Public Access settings are on."""
    bucket, grade, unread = judged.bucket, judged.grade, judged.unread
    warnings: list[str] = []
    if judged.judged_public and grade is not None:
        warnings.append(
            f"AWS's policy status says it is not public, but wa-review reads the policy as: "
            f"{grade.text}; review it"
        )
    elif grade is not None and grade.status is Status.WARN:
        warnings.append(grade.text)
    off = [n for n in _ALL_SWITCHES if judged.switch(n) is not True]
    if off:
        names = ", ".join(SWITCH_NAMES[n] for n in off)
        warnings.append(
            f"its policy makes nothing public, but Block Public Access is not on ({names})"
            + (": " + "; ".join(unread) if unread else "")
        )
    label, details = bucket.name, judged.details()
    if warnings:
        return emit(
            Status.WARN, bucket.arn, judged.region, f"{label}: " + "; ".join(warnings), **details
        )
    policy_text = grade.text if grade else "no bucket policy"
    return emit(
        Status.PASS,
        bucket.arn,
        judged.region,
        f"{label}: not public by policy ({policy_text}); all four Block Public Access settings "
        f"are on {judged.where(_ALL_SWITCHES)}",
        **details,
    )


@check(
    "s3.bucket_public",
    title="S3 buckets are not public, and Block Public Access is on",
    severity=Severity.CRITICAL,
    service="s3",
    rationale="A bucket policy that allows '*' exposes the workload's objects to anyone unless Block "
    "Public Access (RestrictPublicBuckets and IgnorePublicAcls, on the bucket or the account) "
    "neutralises it. AWS's own policy status is preferred to local judgement when S3 gives it.",
    remediation="Turn on all four Block Public Access settings for the account "
    "(`aws s3control put-public-access-block`) or the bucket (`aws s3api put-public-access-block`), "
    "and narrow the bucket policy to the principals that need it.",
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
    ),
)
def bucket_public(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    yield from each_bucket(
        emit, inv, lambda snap, bucket: _bucket_evidence(emit, inv, cfg, snap, bucket)
    )
