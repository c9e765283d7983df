"""How S3 applies Block Public Access (bucket OR account), and the walk over in-scope buckets."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from wa_review.checks.support.helpers import Emitter
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory
from wa_review.model.snapshots.s3 import Bucket, S3Snapshot


def applied_switch(snap: S3Snapshot, bucket: Bucket, name: str) -> bool | None:
    """A switch as S3 applies it (bucket OR account); None when it depends on an unread level."""
    levels: list[bool | None] = []
    for block, error in (
        (bucket.public_access_block, bucket.public_access_block_error),
        (snap.account_public_access_block, snap.account_public_access_block_error),
    ):
        levels.append(None if error is not None else bool(block and getattr(block, name)))
    if True in levels:
        return True
    return None if None in levels else False


def where_on(snap: S3Snapshot, bucket: Bucket, names: tuple[str, ...]) -> str:
    """Which level turns all of `names` on, in words."""
    for level, block in (
        ("at account level", snap.account_public_access_block),
        ("at bucket level", bucket.public_access_block),
    ):
        if block is not None and all(getattr(block, n) for n in names):
            return level
    return "across bucket and account settings"


def unread_levels(snap: S3Snapshot, bucket: Bucket) -> list[str]:
    """The Block Public Access levels that could not be read, with the reason."""
    notes = []
    if snap.account_public_access_block_error is not None:
        notes.append(
            f"the account-level setting is unknown ({snap.account_public_access_block_error.code})"
        )
    if bucket.public_access_block_error is not None:
        notes.append(
            f"the bucket-level setting is unknown ({bucket.public_access_block_error.code})"
        )
    return notes


def each_bucket(
    emit: Emitter,
    inv: AccountInventory,
    judge: Callable[[S3Snapshot, Bucket], Evidence],
) -> Iterator[Evidence]:
    """`judge` over each in-scope bucket; UNKNOWN when they could not be listed, else N/A."""
    snap = inv.get_global(S3Snapshot)
    if snap is None:
        return
    buckets = [b for b in snap.buckets if b.in_scope]
    if snap.listing_error is not None:  # what was listed before it failed is judged too
        yield emit.listing_failed(
            inv.home_region, snap.listing_error, "S3 buckets", listed=len(snap.buckets)
        )
    elif not buckets:
        yield emit(
            Status.NOT_APPLICABLE, "", inv.home_region, "No S3 buckets in scope in this account"
        )
    for bucket in buckets:
        yield judge(snap, bucket)
