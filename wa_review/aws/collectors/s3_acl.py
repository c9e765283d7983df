"""S3 bucket ACLs: Object Ownership first, then the ACL only where ACLs still grant access."""

from __future__ import annotations

from typing import Any

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.s3 import ACLS_DISABLED, AclGrant, BucketAcl

NO_OWNERSHIP = "OwnershipControlsNotFoundError"

IAM_ACTIONS = ("s3:GetBucketOwnershipControls", "s3:GetBucketAcl")


def read_ownership(api: RegionApi, name: str, arn: str) -> tuple[str | None, FetchError | None]:
    """The bucket's Object Ownership; None when it has no ownership controls (ACLs apply)."""
    try:
        found = api.call(
            "s3",
            "get_bucket_ownership_controls",
            resource=arn,
            absent=(NO_OWNERSHIP,),
            Bucket=name,
        )
    except CallFailed as failed:
        return None, None if failed.code == NO_OWNERSHIP else failed.error
    rules = (found.get("OwnershipControls") or {}).get("Rules") or []
    # S3 allows one rule; an empty list is as good as no controls.
    setting = str(rules[0].get("ObjectOwnership") or "") if rules else ""
    return setting or None, None


def read_acl(api: RegionApi, name: str, arn: str) -> tuple[BucketAcl | None, FetchError | None]:
    try:
        found = api.call("s3", "get_bucket_acl", resource=arn, Bucket=name)
    except CallFailed as failed:
        return None, failed.error
    owner = found.get("Owner") or {}
    return (
        BucketAcl(
            owner_id=str(owner.get("ID") or ""),
            owner_name=str(owner.get("DisplayName") or ""),
            grants=tuple(_grant(raw) for raw in found.get("Grants") or ()),
        ),
        None,
    )


def read_bucket_acl(
    api: RegionApi, name: str, arn: str
) -> tuple[str | None, FetchError | None, BucketAcl | None, FetchError | None]:
    """(object ownership, its error, ACL, its error).

    With BucketOwnerEnforced, ACLs are disabled and grant nothing, so GetBucketAcl is skipped.
    When the ownership read fails, the ACL is read anyway: it bounds what ACLs can grant.
    """
    ownership, ownership_error = read_ownership(api, name, arn)
    if ownership == ACLS_DISABLED:
        return ownership, None, None, None
    acl, acl_error = read_acl(api, name, arn)
    return ownership, ownership_error, acl, acl_error


def _grant(raw: dict[str, Any]) -> AclGrant:
    grantee = raw.get("Grantee") or {}
    return AclGrant(
        grantee_type=str(grantee.get("Type") or ""),
        permission=str(raw.get("Permission") or ""),
        canonical_id=str(grantee.get("ID") or ""),
        uri=str(grantee.get("URI") or ""),
        display_name=str(grantee.get("DisplayName") or ""),
        email=str(grantee.get("EmailAddress") or ""),
    )
