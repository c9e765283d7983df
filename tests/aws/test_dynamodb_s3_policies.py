"""DynamoDB tables and streams, S3 buckets: collectors against moto, checks resource by resource."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.aws.faults import deny
from tests.aws.fixtures import resource_policy_account as account
from tests.conftest import make_context
from wa_review.aws.collectors.dynamodb import DynamoDbCollector
from wa_review.aws.collectors.s3 import S3Collector
from wa_review.aws.iam_policy import iam_action_for
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.dynamodb import resource_policy_public
from wa_review.checks.s3 import bucket_public
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.s3 import Bucket, PublicAccessBlock, S3Snapshot

ALL_ON = {
    k: True
    for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
}


def _collect(
    session: Any, collector: type[Any], hooks: Sequence[Callable[..., Any]] = ()
) -> Collection:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    return collect_inventory(ctx, collectors=(collector,))


def _declared_only(collection: Collection, collector: type[Any]) -> None:
    made = {iam_action_for(*k.split(":", 1)) for k in collection.calls} - {"sts:GetCallerIdentity"}
    assert made <= set(collector.iam_actions)


def _by_resource(evidence: list[Evidence]) -> dict[str, Evidence]:
    return {e.resource_arn: e for e in evidence}


# -- DynamoDB ---------------------------------------------------------------------------------


def test_tables_and_streams_are_judged_one_by_one(moto: Any) -> None:
    arns = account.tables(moto)
    collection = _collect(moto, DynamoDbCollector, [account.stream_policy_hook()])
    evidence = list(resource_policy_public(collection.inventories[0], CheckConfig()))
    by_arn = _by_resource(evidence)
    stream = next(arn for arn in by_arn if "/stream/" in arn)
    assert stream.startswith(arns["orders"] + "/stream/")
    assert {arn: e.status for arn, e in by_arn.items()} == {
        arns["orders"]: Status.PASS,  # no table policy
        stream: Status.FAIL,  # its stream's policy (AWS's shape) lets anyone read
        arns["public-table"]: Status.FAIL,
        arns["partner-table"]: Status.WARN,
    }
    assert by_arn[stream].summary.startswith("stream of table orders: anyone")
    _declared_only(collection, DynamoDbCollector)
    assert not collection.errors  # PolicyNotFoundException is an answer, not a failure


def test_a_stream_moto_cannot_hold_a_policy_for_counts_as_without_one(moto: Any) -> None:
    account.tables(moto)
    inv = _collect(moto, DynamoDbCollector).inventories[0]
    streams = [
        e for e in resource_policy_public(inv, CheckConfig()) if "/stream/" in e.resource_arn
    ]
    assert [e.status for e in streams] == [Status.PASS]


def test_unlisted_streams_are_one_unknown_and_the_tables_are_still_judged(moto: Any) -> None:
    arns = account.tables(moto)
    collection = _collect(moto, DynamoDbCollector, [deny("ListStreams")])
    inv = collection.inventories[0]
    by_arn = _by_resource(list(resource_policy_public(inv, CheckConfig())))
    # No stream evidence: whether a table has one is unknown, and said once for the region.
    assert {arn: e.status for arn, e in by_arn.items()} == {
        arns["orders"]: Status.PASS,
        arns["public-table"]: Status.FAIL,
        arns["partner-table"]: Status.WARN,
        "": Status.UNKNOWN,
    }
    assert by_arn[""].summary == (
        "Could not check the streams of DynamoDB tables: AccessDeniedException"
    )
    assert [e.operation for e in collection.errors] == ["ListStreams"]


def test_a_denied_table_listing_is_one_unknown_for_the_region(moto: Any) -> None:
    account.tables(moto)
    inv = _collect(moto, DynamoDbCollector, [deny("ListTables")]).inventories[0]
    [evidence] = resource_policy_public(inv, CheckConfig())
    assert (evidence.status, evidence.resource_arn) == (Status.UNKNOWN, "")


# -- S3 ---------------------------------------------------------------------------------------


def _bucket_statuses(inv: AccountInventory) -> dict[str, Status]:
    return {e.resource_arn.rsplit(":", 1)[-1]: e.status for e in bucket_public(inv, CheckConfig())}


def test_buckets_combine_policy_status_judge_and_block_public_access(moto: Any) -> None:
    account.buckets(moto)
    seen: list[str] = []

    def spy(request: Any, event_name: str = "", **_: Any) -> None:
        if event_name.endswith(".ListBuckets"):
            seen.append(request.url)

    collection = _collect(moto, S3Collector, [spy])
    inv = collection.inventories[0]
    assert _bucket_statuses(inv) == {
        "orders-bucket": Status.PASS,  # no policy, BPA on
        "public-bucket": Status.FAIL,  # public policy, BPA off everywhere
        "shielded-bucket": Status.PASS,  # public policy neutralised by the bucket's BPA
        "plain-bucket": Status.WARN,  # nothing public, but BPA is off
        "partner-bucket": Status.WARN,  # another account may read
    }
    evidence = _by_resource(list(bucket_public(inv, CheckConfig())))
    assert "neutralises" in evidence["arn:aws:s3:::shielded-bucket"].summary
    public = evidence["arn:aws:s3:::public-bucket"]
    assert "IsPublic" in public.summary and public.details["aws_policy_status_is_public"] is True
    assert seen and all("max-buckets" not in url.lower() for url in seen)
    _declared_only(collection, S3Collector)
    assert not collection.errors  # NoSuchBucketPolicy / NoSuch…Configuration are answers


def test_account_level_block_public_access_neutralises_every_bucket(moto: Any) -> None:
    account.buckets(moto)
    moto.client("s3control").put_public_access_block(
        AccountId=account.ACCOUNT, PublicAccessBlockConfiguration=ALL_ON
    )
    inv = _collect(moto, S3Collector).inventories[0]
    statuses = _bucket_statuses(inv)
    assert statuses["public-bucket"] is Status.PASS
    assert statuses["plain-bucket"] is Status.PASS
    public = _by_resource(list(bucket_public(inv, CheckConfig())))["arn:aws:s3:::public-bucket"]
    assert "at account level" in public.summary


def test_unreadable_account_setting_leaves_a_public_bucket_unknown(moto: Any) -> None:
    account.buckets(moto)
    collection = _collect(moto, S3Collector, [account.deny_s3("s3-control.GetPublicAccessBlock")])
    inv = collection.inventories[0]
    snap = inv.get_global(S3Snapshot)
    assert snap is not None and snap.account_public_access_block_error is not None
    evidence = _by_resource(list(bucket_public(inv, CheckConfig())))
    public = evidence["arn:aws:s3:::public-bucket"]
    assert public.status is Status.UNKNOWN
    assert "account-level setting is unknown (AccessDenied)" in public.summary
    # A bucket with every switch on at its own level needs no account setting.
    assert evidence["arn:aws:s3:::orders-bucket"].status is Status.PASS
    assert evidence["arn:aws:s3:::shielded-bucket"].status is Status.PASS


def test_missing_policy_status_is_unavailable_not_private(moto: Any) -> None:
    account.buckets(moto)

    def stub(request: Any, event_name: str = "", **_: Any) -> AWSResponse | None:
        if not event_name.endswith(".GetBucketPolicyStatus"):
            return None
        # An answer without IsPublic, as moto's stub gives.
        body = b'<PolicyStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></PolicyStatus>'
        return account.xml_response(request.url, 200, body)

    inv = _collect(moto, S3Collector, [stub]).inventories[0]
    snap = inv.get_global(S3Snapshot)
    assert snap is not None
    public = next(b for b in snap.buckets if b.name == "public-bucket")
    assert public.policy_is_public is None and public.policy_status_error is None
    evidence = _by_resource(list(bucket_public(inv, CheckConfig())))["arn:aws:s3:::public-bucket"]
    assert evidence.status is Status.FAIL  # the judge still reads the policy as public
    assert "policy status is unavailable" in evidence.summary


def _inventory(snap: S3Snapshot) -> AccountInventory:
    inv = AccountInventory(account.ACCOUNT, account.REGION)
    inv.add(None, snap)
    return inv


PUBLIC_POLICY = account.policy(account.allow("*", "s3:GetObject", "arn:aws:s3:::b/*"))


def test_aws_policy_status_is_preferred_to_the_judge() -> None:
    def bucket(is_public: bool | None, policy: str) -> Bucket:
        return Bucket("b", "arn:aws:s3:::b", "eu-west-1", True, policy, policy_is_public=is_public)

    private_policy = account.policy(
        account.allow({"AWS": f"arn:aws:iam::{account.ACCOUNT}:root"}, "s3:GetObject", "x")
    )
    # AWS says public though the judge does not: fail.
    [aws_public] = bucket_public(
        _inventory(S3Snapshot((bucket(True, private_policy),))), CheckConfig()
    )
    assert aws_public.status is Status.FAIL and aws_public.region == "eu-west-1"
    # AWS says not public though the judge reads '*': a warning to review, not a pass or a fail.
    [disagree] = bucket_public(
        _inventory(S3Snapshot((bucket(False, PUBLIC_POLICY),))), CheckConfig()
    )
    assert disagree.status is Status.WARN and "review it" in disagree.summary


def test_bucket_errors_and_listing_errors_are_unknown() -> None:
    error = FetchError("s3", "GetBucketPolicy", "AccessDenied", "denied")
    unreadable = Bucket("b", "arn:aws:s3:::b", "", True, policy_error=error)
    on = PublicAccessBlock(True, True, True, True)
    fine = Bucket("c", "arn:aws:s3:::c", "", True, public_access_block=on)
    out = list(bucket_public(_inventory(S3Snapshot((unreadable, fine))), CheckConfig()))
    assert [(e.resource_arn, e.status) for e in out] == [
        ("arn:aws:s3:::b", Status.UNKNOWN),
        ("arn:aws:s3:::c", Status.PASS),
    ]
    assert out[0].region == account.REGION  # an unknown region falls back to the home region
    listing = FetchError("s3", "ListBuckets", "AccessDenied", "denied")
    [unknown] = bucket_public(_inventory(S3Snapshot(listing_error=listing)), CheckConfig())
    assert unknown.status is Status.UNKNOWN
    [none] = bucket_public(_inventory(S3Snapshot()), CheckConfig())
    assert none.status is Status.NOT_APPLICABLE


def test_restrict_public_buckets_alone_neutralises_the_policy_but_not_acls() -> None:
    restrict_only = PublicAccessBlock(restrict_public_buckets=True)
    bucket = Bucket(
        "b", "arn:aws:s3:::b", "", True, PUBLIC_POLICY, public_access_block=restrict_only
    )
    [evidence] = bucket_public(_inventory(S3Snapshot((bucket,))), CheckConfig())
    assert evidence.status is Status.WARN
    assert "IgnorePublicAcls is not on" in evidence.summary
    # The two switches may come from different levels: S3 applies the most restrictive.
    acls_at_account = S3Snapshot(
        (bucket,), account_public_access_block=PublicAccessBlock(ignore_public_acls=True)
    )
    [mixed] = bucket_public(_inventory(acls_at_account), CheckConfig())
    assert mixed.status is Status.PASS
    assert "across bucket and account settings" in mixed.summary
    json.dumps([evidence.to_dict(), mixed.to_dict()])
