"""S3 bucket ACLs against moto: Object Ownership first, the ACL only where it still applies."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.aws.fixtures import s3_acl_account as acls
from tests.aws.fixtures.resource_policy_account import ACCOUNT, deny_s3
from tests.conftest import make_context
from wa_review.aws.collectors.s3 import S3Collector
from wa_review.aws.iam_policy import collection_actions, iam_action_for
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.s3_acl import bucket_acl
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.s3 import S3Snapshot


def _collect(session: Any, hooks: Sequence[Callable[..., Any]] = ()) -> Collection:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    return collect_inventory(ctx, collectors=(S3Collector,))


def _evidence(inv: AccountInventory) -> dict[str, Evidence]:
    return {e.resource_arn.rsplit(":", 1)[-1]: e for e in bucket_acl(inv, CheckConfig())}


class AclReads:
    """Notes the bucket of every GetBucketAcl request; denies it for `locked-bucket`."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self._deny = deny_s3("s3.GetBucketAcl", when=lambda r: "locked-bucket" in r.url)

    def __call__(self, request: Any, event_name: str = "", **kw: Any) -> AWSResponse | None:
        if event_name.endswith(".GetBucketAcl"):
            self.urls.append(request.url)
        return self._deny(request, event_name=event_name, **kw)

    def read(self, bucket: str) -> bool:
        return any(bucket in url for url in self.urls)


def test_each_bucket_acl_is_judged_bucket_by_bucket(moto: Any) -> None:
    names = acls.acl_buckets(moto)
    reads = AclReads()
    collection = _collect(moto, [reads])
    evidence = _evidence(collection.inventories[0])
    assert {name: e.status for name, e in evidence.items()} == {
        "enforced-bucket": Status.PASS,  # ACLs disabled: moto's stored grant does not count
        "private-bucket": Status.PASS,  # only the owner
        "public-read-bucket": Status.FAIL,
        "authenticated-bucket": Status.FAIL,
        "public-write-bucket": Status.FAIL,
        "partner-acl-bucket": Status.WARN,  # another account's canonical user
        "log-bucket": Status.PASS,  # the LogDelivery group's WRITE and READ_ACP
        "ignored-bucket": Status.WARN,  # public grant, but IgnorePublicAcls on the bucket
        "locked-bucket": Status.UNKNOWN,  # GetBucketAcl denied
    }
    # One GetBucketOwnershipControls per bucket; GetBucketAcl for all but the enforced one.
    assert collection.calls["s3:GetBucketOwnershipControls"] == len(names)
    assert collection.calls["s3:GetBucketAcl"] == len(names) - 1
    assert not reads.read("enforced-bucket") and reads.read("private-bucket")

    summary = {name: e.summary for name, e in evidence.items()}
    assert summary["enforced-bucket"].startswith("enforced-bucket: ACLs disabled")
    assert summary["private-bucket"].startswith(
        "private-bucket: the ACL grants only the bucket owner; ACLs are still enabled "
        "(no Object Ownership setting)"
    )
    assert summary["public-read-bucket"].startswith(
        "public-read-bucket: public via ACL: READ (list objects) to everyone (AllUsers)"
    )
    assert "to any AWS account (AuthenticatedUsers)" in summary["authenticated-bucket"]
    assert summary["public-write-bucket"].startswith(
        "public-write-bucket: public write via ACL: READ (list objects), "
        "WRITE (create, overwrite and delete objects) to everyone (AllUsers)"
    )
    assert "public write" not in summary["public-read-bucket"]
    assert (
        f"canonical user {acls.PARTNER_ID} ({acls.PARTNER_NAME})" in summary["partner-acl-bucket"]
    )
    assert "log delivery group may WRITE, READ_ACP" in summary["log-bucket"]
    assert "IgnorePublicAcls is on at bucket level" in summary["ignored-bucket"]
    assert summary["locked-bucket"] == "Could not check the ACL of locked-bucket: AccessDenied"
    assert evidence["locked-bucket"].details["error"]["operation"] == "GetBucketAcl"
    # The grants themselves are kept for the report.
    public = evidence["public-read-bucket"].details
    assert {"grantee_type": "Group", "uri": acls.ALL_USERS, "permission": "READ"}.items() <= next(
        g for g in public["grants"] if g["uri"]
    ).items()
    assert public["ignore_public_acls"] is False
    json.dumps([e.to_dict() for e in evidence.values()])

    # The one failure is the denied ACL: no ownership controls is an answer, not an error.
    assert [(e.operation, e.code, e.resource) for e in collection.errors] == [
        ("GetBucketAcl", "AccessDenied", names["locked-bucket"])
    ]
    made = {iam_action_for(*k.split(":", 1)) for k in collection.calls} - {"sts:GetCallerIdentity"}
    assert made <= set(S3Collector.iam_actions) <= set(collection_actions())
    assert {"s3:GetBucketOwnershipControls", "s3:GetBucketAcl"} <= made


def test_unreadable_ownership_controls_still_read_and_judge_the_acl(moto: Any) -> None:
    acls.acl_buckets(moto)
    denied = ("private-bucket", "public-read-bucket")
    hook = deny_s3("s3.GetBucketOwnershipControls", when=lambda r: any(n in r.url for n in denied))
    collection = _collect(moto, [hook])
    snap = collection.inventories[0].get_global(S3Snapshot)
    assert snap is not None
    private = next(b for b in snap.buckets if b.name == "private-bucket")
    assert private.ownership_error is not None and private.acl is not None
    evidence = _evidence(collection.inventories[0])
    assert evidence["private-bucket"].status is Status.PASS
    assert "Object Ownership unknown: AccessDenied" in evidence["private-bucket"].summary
    assert evidence["private-bucket"].details["ownership_error"]["code"] == "AccessDenied"
    # A public grant is public whatever the ownership setting could have been.
    assert evidence["public-read-bucket"].status is Status.FAIL
    assert sorted(e.resource for e in collection.errors) == sorted(
        f"arn:aws:s3:::{n}" for n in denied
    )


def test_account_level_ignore_public_acls_turns_public_grants_into_warnings(moto: Any) -> None:
    acls.acl_buckets(moto)
    moto.client("s3control").put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration=acls.ALL_ON
    )
    evidence = _evidence(_collect(moto).inventories[0])
    public = evidence["public-read-bucket"]
    assert public.status is Status.WARN
    assert "but IgnorePublicAcls is on at account level, so S3 ignores the grant" in public.summary
    assert evidence["public-write-bucket"].status is Status.WARN
    # IgnorePublicAcls ignores public grants only: another account's grant still applies.
    assert evidence["partner-acl-bucket"].status is Status.WARN
    assert "cross-account via ACL" in evidence["partner-acl-bucket"].summary


def test_unreadable_account_setting_leaves_a_public_grant_unknown(moto: Any) -> None:
    acls.acl_buckets(moto)
    hook = deny_s3("s3-control.GetPublicAccessBlock")
    evidence = _evidence(_collect(moto, [hook]).inventories[0])
    public = evidence["public-read-bucket"]
    assert public.status is Status.UNKNOWN
    assert public.summary == (
        "public-read-bucket: public via ACL: READ (list objects) to everyone (AllUsers); whether "
        "IgnorePublicAcls neutralises it is unknown: the account-level setting is unknown "
        "(AccessDenied)"
    )
    # The bucket's own switch is enough where it is on; grants that are not public need neither.
    assert evidence["ignored-bucket"].status is Status.WARN
    assert evidence["private-bucket"].status is Status.PASS
    assert evidence["partner-acl-bucket"].status is Status.WARN


def test_a_denied_bucket_listing_is_one_unknown(moto: Any) -> None:
    acls.acl_buckets(moto)
    collection = _collect(moto, [deny_s3("s3.ListBuckets")])
    [evidence] = bucket_acl(collection.inventories[0], CheckConfig())
    assert (evidence.status, evidence.resource_arn) == (Status.UNKNOWN, "")
    assert "s3:GetBucketAcl" not in collection.calls
