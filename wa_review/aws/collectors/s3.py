"""S3 collector: buckets with their policy, policy status, Block Public Access and ACL, plus the
account's Block Public Access."""

from __future__ import annotations

from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors import s3_acl
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.s3 import SWITCH_NAMES, Bucket, PublicAccessBlock, S3Snapshot

NO_POLICY = "NoSuchBucketPolicy"
NO_BLOCK = "NoSuchPublicAccessBlockConfiguration"
# GetBucketLocation answers these legacy constraints for two old regions.
LEGACY_LOCATIONS = {"": "us-east-1", "EU": "eu-west-1"}


def _block(raw: dict[str, Any]) -> PublicAccessBlock:
    config = raw.get("PublicAccessBlockConfiguration") or {}
    return PublicAccessBlock(**{f: bool(config.get(name)) for f, name in SWITCH_NAMES.items()})


class S3Collector(Collector[S3Snapshot]):
    """Runs once per account: the bucket list is global.

    Per-bucket calls go through the home-region client; botocore follows S3's redirect to a
    bucket's own region, so no client per region is needed.
    """

    service: ClassVar[str] = "s3"
    snapshot_type: ClassVar[type[S3Snapshot]] = S3Snapshot
    endpoints: ClassVar[tuple[str, ...]] = ("s3", "s3-control")
    error_services: ClassVar[tuple[str, ...]] = ("s3", "s3control")
    global_: ClassVar[bool] = True
    iam_actions: ClassVar[tuple[str, ...]] = (
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:GetBucketPolicy",
        "s3:GetBucketPolicyStatus",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetAccountPublicAccessBlock",
        *s3_acl.IAM_ACTIONS,
    )

    def collect(self, api: RegionApi) -> S3Snapshot:
        # Never pass MaxBuckets: moto then truncates the list without a continuation token.
        listed, listing_error = api.listing("s3", "list_buckets", "Buckets")
        if listing_error is not None and not listed:
            return S3Snapshot(listing_error=listing_error)
        account_block, account_error = self._account_block(api)
        partition = api.client("s3").meta.partition
        buckets = api.fan_out(lambda raw: self._bucket(api, raw, partition), listed)
        return S3Snapshot(
            buckets=tuple(buckets),
            account_public_access_block=account_block,
            account_public_access_block_error=account_error,
            listing_error=listing_error,
        )

    def _account_block(self, api: RegionApi) -> tuple[PublicAccessBlock | None, FetchError | None]:
        try:
            found = api.call(
                "s3control",
                "get_public_access_block",
                resource=api.account_id,
                absent=(NO_BLOCK,),
                AccountId=api.account_id,
            )
        except CallFailed as failed:
            if failed.code == NO_BLOCK:
                return None, None
            return None, failed.error
        return _block(found), None

    def _bucket(self, api: RegionApi, raw: dict[str, Any], partition: str) -> Bucket:
        name = str(raw["Name"])
        arn = f"arn:{partition}:s3:::{name}"
        region = str(raw.get("BucketRegion") or "")
        if not api.scope.includes(name, arn):
            return Bucket(name, arn, region, in_scope=False)
        region = region or self._region(api, name, arn)
        policy, policy_error = self._policy(api, name, arn)
        is_public, status_error = (None, None)
        if policy is not None:  # GetBucketPolicyStatus answers NoSuchBucketPolicy otherwise
            is_public, status_error = self._status(api, name, arn)
        block, block_error = self._bucket_block(api, name, arn)
        ownership, ownership_error, acl, acl_error = s3_acl.read_bucket_acl(api, name, arn)
        return Bucket(
            name,
            arn,
            region,
            True,
            policy=policy,
            policy_error=policy_error,
            policy_is_public=is_public,
            policy_status_error=status_error,
            public_access_block=block,
            public_access_block_error=block_error,
            object_ownership=ownership,
            ownership_error=ownership_error,
            acl=acl,
            acl_error=acl_error,
        )

    def _region(self, api: RegionApi, name: str, arn: str) -> str:
        # ListBuckets gives BucketRegion on AWS today; older endpoints (and moto) do not.
        try:
            found = api.call("s3", "get_bucket_location", resource=arn, Bucket=name)
        except CallFailed:
            return ""  # recorded; the region only labels the evidence
        location = str(found.get("LocationConstraint") or "")
        return LEGACY_LOCATIONS.get(location, location)

    def _policy(self, api: RegionApi, name: str, arn: str) -> tuple[str | None, FetchError | None]:
        try:
            found = api.call(
                "s3", "get_bucket_policy", resource=arn, absent=(NO_POLICY,), Bucket=name
            )
        except CallFailed as failed:
            return None, None if failed.code == NO_POLICY else failed.error
        return str(found.get("Policy") or "") or None, None

    def _status(self, api: RegionApi, name: str, arn: str) -> tuple[bool | None, FetchError | None]:
        try:
            found = api.call("s3", "get_bucket_policy_status", resource=arn, Bucket=name)
        except CallFailed as failed:
            return None, failed.error
        # An answer without PolicyStatus (moto's stub) says nothing: unavailable, not "private".
        status = found.get("PolicyStatus")
        if not isinstance(status, dict) or "IsPublic" not in status:
            return None, None
        return bool(status["IsPublic"]), None

    def _bucket_block(
        self, api: RegionApi, name: str, arn: str
    ) -> tuple[PublicAccessBlock | None, FetchError | None]:
        try:
            found = api.call(
                "s3", "get_public_access_block", resource=arn, absent=(NO_BLOCK,), Bucket=name
            )
        except CallFailed as failed:
            return None, None if failed.code == NO_BLOCK else failed.error
        return _block(found), None
