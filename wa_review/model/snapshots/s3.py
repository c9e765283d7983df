"""S3: buckets (policy, AWS's own policy status, Block Public Access, ACL) and the account's BPA."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class PublicAccessBlock:
    """The four Block Public Access switches, at bucket or account level."""

    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False


# Field name -> the name S3's API and console use.
SWITCH_NAMES = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


# Object Ownership setting under which ACLs are disabled and grant nothing.
ACLS_DISABLED = "BucketOwnerEnforced"


@dataclass(frozen=True, slots=True)
class AclGrant:
    """One grant of a bucket ACL, as GetBucketAcl names it (AWS's strings, kept as given)."""

    grantee_type: str  # CanonicalUser | Group | AmazonCustomerByEmail
    permission: str  # FULL_CONTROL | WRITE | WRITE_ACP | READ | READ_ACP
    canonical_id: str = ""  # CanonicalUser
    uri: str = ""  # Group: http://acs.amazonaws.com/groups/...
    display_name: str = ""  # CanonicalUser; AWS is phasing DisplayName out, so often ""
    email: str = ""  # AmazonCustomerByEmail


@dataclass(frozen=True, slots=True)
class BucketAcl:
    """A bucket's ACL: its owner (a canonical user id) and every grant."""

    owner_id: str
    owner_name: str = ""
    grants: tuple[AclGrant, ...] = ()


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bucket. For each read: a value, None for "not set", or an error when unread."""

    name: str
    arn: str
    region: str  # "" when it could not be learned
    in_scope: bool
    policy: str | None = None
    policy_error: FetchError | None = None
    # AWS's own verdict (GetBucketPolicyStatus.IsPublic); None when unavailable or no policy.
    policy_is_public: bool | None = None
    policy_status_error: FetchError | None = None
    public_access_block: PublicAccessBlock | None = None  # None: no bucket-level configuration
    public_access_block_error: FetchError | None = None
    # GetBucketOwnershipControls: BucketOwnerEnforced (ACLs disabled), BucketOwnerPreferred or
    # ObjectWriter; None when the bucket has no ownership controls (ACLs apply).
    object_ownership: str | None = None
    ownership_error: FetchError | None = None
    # GetBucketAcl. None with no error: not read, because ACLs are disabled (BucketOwnerEnforced).
    acl: BucketAcl | None = None
    acl_error: FetchError | None = None


@dataclass(frozen=True, slots=True)
class S3Snapshot:
    service: ClassVar[str] = "s3"
    buckets: tuple[Bucket, ...] = ()
    # None: no account-level configuration (all switches off), unless the error is set.
    account_public_access_block: PublicAccessBlock | None = None
    account_public_access_block_error: FetchError | None = None
    listing_error: FetchError | None = None
