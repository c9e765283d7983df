"""s3.bucket_acl on hand-built snapshots: the grants and settings moto cannot produce."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from wa_review.checks.s3_acl import ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY, bucket_acl
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.s3 import (
    AclGrant,
    Bucket,
    BucketAcl,
    PublicAccessBlock,
    S3Snapshot,
)

ACCOUNT = "123456789012"
HOME = "us-east-1"
OWNER = "a" * 64
PARTNER = "b" * 64
DENIED = FetchError(
    "s3", "GetBucketAcl", "AccessDenied", "Access Denied", resource="arn:aws:s3:::b"
)


def owner_grant() -> AclGrant:
    return AclGrant("CanonicalUser", "FULL_CONTROL", canonical_id=OWNER)


def group(uri: str, permission: str) -> AclGrant:
    return AclGrant("Group", permission, uri=uri)


def bucket(*grants: AclGrant, **fields: Any) -> Bucket:
    acl = BucketAcl(OWNER, "owner", (owner_grant(), *grants))
    return replace(Bucket("b", "arn:aws:s3:::b", "eu-west-1", True, acl=acl), **fields)


def judge(*buckets: Bucket, **snap: Any) -> list[Evidence]:
    inv = AccountInventory(ACCOUNT, HOME)
    inv.add(None, S3Snapshot(buckets, **snap))
    out = list(bucket_acl(inv, CheckConfig()))
    json.dumps([e.to_dict() for e in out])  # details stay serialisable
    return out


def one(*grants: AclGrant, **fields: Any) -> Evidence:
    [evidence] = judge(bucket(*grants, **fields))
    assert evidence.check_id == "s3.bucket_acl" and evidence.account == ACCOUNT
    return evidence


def test_acls_disabled_pass_without_an_acl() -> None:
    enforced = Bucket("b", "arn:aws:s3:::b", "", True, object_ownership="BucketOwnerEnforced")
    [evidence] = judge(enforced)
    assert evidence.status is Status.PASS and "ACLs disabled" in evidence.summary
    assert evidence.region == HOME  # an unknown bucket region falls back to the home region


def test_an_owner_only_acl_passes_and_says_acls_are_still_enabled() -> None:
    evidence = one(object_ownership="ObjectWriter")
    assert evidence.status is Status.PASS and evidence.region == "eu-west-1"
    assert evidence.summary == (
        "b: the ACL grants only the bucket owner; ACLs are still enabled (Object Ownership "
        "ObjectWriter): object ACLs are not read, and BucketOwnerEnforced would disable them"
    )
    # The owner's own grants, whatever they are, are not findings.
    again = one(AclGrant("CanonicalUser", "READ", canonical_id=OWNER))
    assert again.status is Status.PASS


def test_public_full_control_to_any_aws_account_is_called_out_as_write() -> None:
    evidence = one(group(AUTHENTICATED_USERS, "FULL_CONTROL"))
    assert evidence.status is Status.FAIL
    assert evidence.summary == (
        "b: public write via ACL: FULL_CONTROL (full control) to any AWS account "
        "(AuthenticatedUsers); IgnorePublicAcls is off at bucket and account level"
    )


def test_write_acp_alone_to_everyone_is_public_write() -> None:
    evidence = one(group(ALL_USERS, "WRITE_ACP"))
    assert evidence.status is Status.FAIL
    assert "public write via ACL: WRITE_ACP (rewrite the ACL) to everyone" in evidence.summary


def test_read_acp_to_everyone_is_public_but_not_write() -> None:
    evidence = one(group(ALL_USERS, "READ_ACP"))
    assert evidence.status is Status.FAIL
    assert "public via ACL: READ_ACP (read the ACL) to everyone (AllUsers)" in evidence.summary


def test_the_worst_finding_leads_and_every_grant_is_named() -> None:
    partner = AclGrant("CanonicalUser", "READ", canonical_id=PARTNER)
    evidence = one(partner, group(ALL_USERS, "READ"))
    assert evidence.status is Status.FAIL
    public_at = evidence.summary.index("public via ACL")
    partner_at = evidence.summary.index(
        f"cross-account via ACL: READ (list objects) to canonical user {PARTNER}"
    )
    assert public_at < partner_at
    assert len(evidence.details["grants"]) == 3


def test_log_delivery_needs_write_and_read_acp_only() -> None:
    needed = one(group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "READ_ACP"))
    assert needed.status is Status.PASS
    assert needed.summary.startswith(
        "b: the ACL grants nothing public or cross-account; the S3 log delivery group may "
        "WRITE, READ_ACP (server access logs: expected on a log bucket)"
    )
    more = one(group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "FULL_CONTROL"))
    assert more.status is Status.WARN
    assert more.summary == (
        "b: the S3 log delivery group holds FULL_CONTROL, more than server access logging "
        "needs (WRITE, READ_ACP)"
    )
    listing = one(group(LOG_DELIVERY, "READ"))
    assert listing.status is Status.WARN and "holds READ" in listing.summary


def test_grantees_by_email_and_unknown_groups_warn() -> None:
    email = one(AclGrant("AmazonCustomerByEmail", "WRITE", email="ops@example.com"))
    assert email.status is Status.WARN
    assert email.summary == (
        "b: cross-account via ACL: WRITE (create, overwrite and delete objects) to the account "
        "of ops@example.com"
    )
    odd = one(group("http://acs.amazonaws.com/groups/s3/SomethingNew", "READ"))
    assert odd.status is Status.WARN and "does not recognise" in odd.summary


def test_without_a_known_owner_every_canonical_grant_is_someone_else() -> None:
    acl = BucketAcl("", "", (owner_grant(),))
    [evidence] = judge(Bucket("b", "arn:aws:s3:::b", "", True, acl=acl))
    assert evidence.status is Status.WARN and OWNER in evidence.summary
    # A grant without an id is not the owner's either, even when the owner is unknown too.
    nameless = BucketAcl("", "", (AclGrant("CanonicalUser", "READ"),))
    [unnamed] = judge(Bucket("b", "arn:aws:s3:::b", "", True, acl=nameless))
    assert unnamed.status is Status.WARN
    assert "to canonical user (no id given)" in unnamed.summary


def test_ignore_public_acls_at_either_level_softens_a_public_grant() -> None:
    public = group(ALL_USERS, "READ")
    at_bucket = one(public, public_access_block=PublicAccessBlock(ignore_public_acls=True))
    assert at_bucket.status is Status.WARN
    assert "IgnorePublicAcls is on at bucket level, so S3 ignores the grant" in at_bucket.summary
    assert at_bucket.details["ignore_public_acls"] is True
    [at_account] = judge(
        bucket(public), account_public_access_block=PublicAccessBlock(ignore_public_acls=True)
    )
    assert at_account.status is Status.WARN and "at account level" in at_account.summary
    # BlockPublicAcls only stops new public ACLs: an existing grant still applies.
    blocked = one(public, public_access_block=PublicAccessBlock(block_public_acls=True))
    assert blocked.status is Status.FAIL


def test_an_unread_block_public_access_level_leaves_a_public_grant_unknown() -> None:
    error = FetchError("s3", "GetPublicAccessBlock", "AccessDenied", "denied")
    evidence = one(group(ALL_USERS, "READ"), public_access_block_error=error)
    assert evidence.status is Status.UNKNOWN
    assert "the bucket-level setting is unknown (AccessDenied)" in evidence.summary
    # ...unless the other level turns it on.
    [known] = judge(
        bucket(group(ALL_USERS, "READ"), public_access_block_error=error),
        account_public_access_block=PublicAccessBlock(ignore_public_acls=True),
    )
    assert known.status is Status.WARN


def test_an_unreadable_acl_is_unknown_never_pass() -> None:
    unreadable = Bucket("b", "arn:aws:s3:::b", "", True, acl_error=DENIED)
    [evidence] = judge(unreadable)
    assert evidence.status is Status.UNKNOWN
    assert evidence.summary == "Could not check the ACL of b: AccessDenied"
    assert evidence.details["error"]["operation"] == "GetBucketAcl"
    # A snapshot with no ACL and no reason is not a pass either.
    [unread] = judge(Bucket("b", "arn:aws:s3:::b", "", True))
    assert unread.status is Status.UNKNOWN


def test_listing_errors_no_buckets_and_out_of_scope_buckets() -> None:
    listing = FetchError("s3", "ListBuckets", "AccessDenied", "denied")
    [unknown] = judge(listing_error=listing)
    assert (unknown.status, unknown.resource_arn) == (Status.UNKNOWN, "")
    [none] = judge()
    assert none.status is Status.NOT_APPLICABLE
    outside = Bucket("other", "arn:aws:s3:::other", "", False)
    assert [e.resource_arn for e in judge(outside, bucket())] == ["arn:aws:s3:::b"]
