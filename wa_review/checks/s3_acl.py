"""Who a bucket's ACL lets in (practice a1): everyone, any AWS account, other accounts, logging."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.registry import check
from wa_review.checks.support.s3_block import applied_switch, each_bucket, unread_levels, where_on
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.s3 import ACLS_DISABLED, AclGrant, Bucket, BucketAcl, S3Snapshot

CHECK_ID = "s3.bucket_acl"

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"

# S3 calls an ACL public when it grants anything to one of these two groups; IgnorePublicAcls
# makes S3 ignore exactly those grants.
PUBLIC_GROUPS = {
    ALL_USERS: "everyone (AllUsers)",
    AUTHENTICATED_USERS: "any AWS account (AuthenticatedUsers)",
}
# What server access logging needs from the LogDelivery group when it delivers through the ACL.
LOG_DELIVERY_NEEDS = ("WRITE", "READ_ACP")
# What each permission lets a grantee do on a bucket (READ lists keys; it does not read objects).
MEANING = {
    "READ": "list objects",
    "WRITE": "create, overwrite and delete objects",
    "READ_ACP": "read the ACL",
    "WRITE_ACP": "rewrite the ACL",
    "FULL_CONTROL": "full control",
}
WRITES = frozenset({"WRITE", "WRITE_ACP", "FULL_CONTROL"})


@dataclass(frozen=True, slots=True)
class _Grantee:
    """One grantee with every permission the ACL gives it (S3 lists one grant per permission)."""

    first: AclGrant
    permissions: tuple[str, ...]

    @property
    def says(self) -> str:
        return ", ".join(
            f"{p} ({MEANING.get(p, 'an unknown permission')})" for p in self.permissions
        )


@dataclass(frozen=True, slots=True)
class _Finding:
    status: Status
    text: str


def _grantees(acl: BucketAcl) -> list[_Grantee]:
    """Grants other than the owner's, grouped by grantee in the ACL's order."""
    grouped: dict[tuple[str, str], list[AclGrant]] = {}
    for grant in acl.grants:
        if grant.grantee_type == "CanonicalUser" and grant.canonical_id == acl.owner_id != "":
            continue
        key = (grant.grantee_type, grant.canonical_id or grant.uri or grant.email)
        grouped.setdefault(key, []).append(grant)
    return [
        _Grantee(grants[0], tuple(dict.fromkeys(g.permission for g in grants)))
        for grants in grouped.values()
    ]


def _other(grantee: _Grantee) -> _Finding:
    """A grantee that is neither a public group nor the owner."""
    grant = grantee.first
    if grant.uri == LOG_DELIVERY:
        extra = [p for p in grantee.permissions if p not in LOG_DELIVERY_NEEDS]
        if not extra:
            return _Finding(
                Status.PASS,
                f"the S3 log delivery group may {', '.join(grantee.permissions)} "
                "(server access logs: expected on a log bucket)",
            )
        return _Finding(
            Status.WARN,
            f"the S3 log delivery group holds {', '.join(extra)}, more than server access "
            f"logging needs ({', '.join(LOG_DELIVERY_NEEDS)})",
        )
    if grant.grantee_type == "CanonicalUser":
        name = f" ({grant.display_name})" if grant.display_name else ""
        who = f"canonical user {grant.canonical_id or '(no id given)'}{name}"
    elif grant.grantee_type == "AmazonCustomerByEmail":
        who = f"the account of {grant.email}"
    else:
        return _Finding(
            Status.WARN,
            f"{grantee.says} to {grant.uri or grant.grantee_type or 'an unnamed grantee'}, a "
            "grantee wa-review does not recognise; review it",
        )
    return _Finding(Status.WARN, f"cross-account via ACL: {grantee.says} to {who}")


def _public(snap: S3Snapshot, bucket: Bucket, public: list[_Grantee]) -> _Finding:
    writes = any(p in WRITES for g in public for p in g.permissions)
    grants = "; ".join(f"{g.says} to {PUBLIC_GROUPS[g.first.uri]}" for g in public)
    text = f"public {'write ' if writes else ''}via ACL: {grants}"
    ignored = applied_switch(snap, bucket, "ignore_public_acls")
    if ignored:
        where = where_on(snap, bucket, ("ignore_public_acls",))
        return _Finding(
            Status.WARN,
            f"{text}, but IgnorePublicAcls is on {where}, so S3 ignores the grant; remove it",
        )
    if ignored is None:
        unread = "; ".join(unread_levels(snap, bucket))
        return _Finding(
            Status.UNKNOWN,
            f"{text}; whether IgnorePublicAcls neutralises it is unknown: {unread}",
        )
    return _Finding(Status.FAIL, f"{text}; IgnorePublicAcls is off at bucket and account level")


def _acls_still_enabled(bucket: Bucket) -> str:
    if bucket.ownership_error is not None:
        setting = f"Object Ownership unknown: {bucket.ownership_error.code}"
    elif bucket.object_ownership is None:
        setting = "no Object Ownership setting"
    else:
        setting = f"Object Ownership {bucket.object_ownership}"
    return (
        f"ACLs are still enabled ({setting}): object ACLs are not read, and "
        "BucketOwnerEnforced would disable them"
    )


def _details(snap: S3Snapshot, bucket: Bucket, acl: BucketAcl) -> dict[str, Any]:
    details: dict[str, Any] = {
        "object_ownership": bucket.object_ownership,
        "owner": {"id": acl.owner_id, "display_name": acl.owner_name},
        "grants": [
            {
                "grantee_type": g.grantee_type,
                "permission": g.permission,
                "canonical_id": g.canonical_id,
                "uri": g.uri,
                "display_name": g.display_name,
                "email": g.email,
            }
            for g in acl.grants
        ],
        "ignore_public_acls": applied_switch(snap, bucket, "ignore_public_acls"),
    }
    if bucket.ownership_error is not None:
        details["ownership_error"] = bucket.ownership_error.to_dict()
    return details


def _bucket_evidence(emit: Emitter, region: str, snap: S3Snapshot, bucket: Bucket) -> Evidence:
    if bucket.object_ownership == ACLS_DISABLED:
        return emit(
            Status.PASS,
            bucket.arn,
            region,
            f"{bucket.name}: ACLs disabled (Object Ownership BucketOwnerEnforced); only policies "
            "grant access",
            object_ownership=bucket.object_ownership,
        )
    if bucket.acl_error is not None:
        return emit.unknown(bucket.arn, region, bucket.acl_error, f"the ACL of {bucket.name}")
    if bucket.acl is None:  # never left so by the collector; a hand-built snapshot may be
        return emit(Status.UNKNOWN, bucket.arn, region, f"{bucket.name}: the ACL was not read")
    grantees = _grantees(bucket.acl)
    public = [g for g in grantees if g.first.uri in PUBLIC_GROUPS]
    findings = [_public(snap, bucket, public)] if public else []
    findings += [_other(g) for g in grantees if g.first.uri not in PUBLIC_GROUPS]
    findings.sort(key=lambda f: -f.status.rank)
    details = _details(snap, bucket, bucket.acl)
    status = findings[0].status if findings else Status.PASS
    parts = [f.text for f in findings]
    if status is Status.PASS:
        lead = "nothing public or cross-account" if findings else "only the bucket owner"
        parts = [f"the ACL grants {lead}", *parts, _acls_still_enabled(bucket)]
    return emit(status, bucket.arn, region, f"{bucket.name}: " + "; ".join(parts), **details)


@check(
    CHECK_ID,
    title="S3 bucket ACLs grant nothing to the public or to other accounts",
    severity=Severity.CRITICAL,
    service="s3",
    rationale="A bucket ACL is a second resource policy: a grant to AllUsers or AuthenticatedUsers "
    "makes the bucket public (READ lists its objects, WRITE lets anyone overwrite or delete them) "
    "unless Block Public Access IgnorePublicAcls (bucket or account) makes S3 ignore it; "
    "BlockPublicAcls only refuses new public ACLs. A grant to another account's canonical user "
    "crosses the account boundary (canonical ids cannot be matched to --trusted-account, so it is "
    "a warning to review). WRITE and READ_ACP for the S3 LogDelivery group are what ACL-based "
    "server access logging needs and pass; anything more warns. Buckets with Object Ownership "
    "BucketOwnerEnforced have ACLs disabled and are not read further.",
    remediation="Set Object Ownership to BucketOwnerEnforced (`aws s3api "
    "put-bucket-ownership-controls`) after moving any needed access into the bucket policy; "
    "until then, remove public and cross-account grants (`aws s3api put-bucket-acl --acl private`) "
    "and turn on IgnorePublicAcls. Log buckets can receive access logs through a bucket policy for "
    "logging.s3.amazonaws.com instead of the LogDelivery group.",
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
    ),
)
def bucket_acl(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    yield from each_bucket(
        emit,
        inv,
        lambda snap, bucket: _bucket_evidence(emit, bucket.region or inv.home_region, snap, bucket),
    )
