"""OrganizationsSnapshot.applies_to: whether an SCP reaches the account, from its chain of parents."""

from __future__ import annotations

import pytest

from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.organizations import OrganizationsSnapshot, Scp

ACCOUNT = "123456789012"
OTHER = "210987654321"
CHAIN = (ACCOUNT, "ou-r-prod", "ou-r-work", "r-root")
DENIED = FetchError("organizations", "ListParents", "AccessDeniedException", "no", resource=ACCOUNT)


def _scp(*targets: str) -> Scp:
    return Scp("p-1", "guard", "arn:scp", "{}", targets=targets, target_names=targets)


def _org(
    ancestry: tuple[str, ...] = CHAIN, error: FetchError | None = None
) -> OrganizationsSnapshot:
    return OrganizationsSnapshot(in_organization=True, ancestry=ancestry, ancestry_error=error)


@pytest.mark.parametrize(
    ("org", "targets", "expected"),
    [
        (_org(), (ACCOUNT,), True),
        (_org(), ("ou-r-prod",), True),  # the parent
        (_org(), ("ou-r-work",), True),  # an OU further up
        (_org(), ("r-root",), True),
        (_org(), ("ou-r-sandbox",), False),  # a sibling OU
        (_org(), (OTHER,), False),  # another account
        (_org(), ("ou-r-sandbox", "ou-r-work"), True),  # one target is enough
        (_org(), (), False),  # attached nowhere
        # Unknown chain: only an attachment to the account itself is certain.
        (_org((ACCOUNT,), DENIED), (ACCOUNT,), True),
        (_org((ACCOUNT,), DENIED), ("r-root",), None),
        (_org((ACCOUNT,), DENIED), ("ou-r-sandbox",), None),
        (_org(()), ("r-root",), None),  # never read
        (_org(()), (ACCOUNT,), True),
        # Cut short after the parent: what was read is known, the rest is not.
        (_org((ACCOUNT, "ou-r-prod"), DENIED), ("ou-r-prod",), True),
        (_org((ACCOUNT, "ou-r-prod"), DENIED), ("ou-r-sandbox",), None),
        # A chain that does not reach a root is incomplete even without an error.
        (_org((ACCOUNT, "ou-r-prod")), ("ou-r-sandbox",), None),
        # Another account's chain says nothing about this one.
        (_org((OTHER, "ou-r-prod", "r-root")), ("r-root",), None),
    ],
)
def test_applies_to(
    org: OrganizationsSnapshot, targets: tuple[str, ...], expected: bool | None
) -> None:
    assert org.applies_to(_scp(*targets), ACCOUNT) is expected


def test_ancestry_complete_needs_a_root_and_no_error() -> None:
    assert _org().ancestry_complete
    assert not _org(error=DENIED).ancestry_complete
    assert not _org((ACCOUNT,)).ancestry_complete
    assert not _org((ACCOUNT, "ou-r-prod")).ancestry_complete


def test_where_attached_says_whether_the_targets_hold_the_account() -> None:
    org = _org()
    assert org.where_attached(_scp("r-root"), ACCOUNT) == (
        "attached to r-root, which covers this account"
    )
    assert org.where_attached(_scp("ou-r-sandbox"), ACCOUNT) == (
        "attached to ou-r-sandbox, which does not contain this account"
    )
    assert org.where_attached(_scp("ou-r-a", "ou-r-b"), ACCOUNT) == (
        "attached to ou-r-a, ou-r-b, none of which contains this account"
    )
    unknown = _org((ACCOUNT,), DENIED).where_attached(_scp("ou-r-work"), ACCOUNT)
    assert unknown.startswith("attached to ou-r-work; could not confirm that covers this account")
    assert "ListParents for 123456789012 failed: AccessDeniedException" in unknown
    assert "were not read" in _org(()).where_attached(_scp("r-root"), ACCOUNT)


def test_ancestry_line_names_the_parents_nearest_first() -> None:
    named = OrganizationsSnapshot(
        ancestry=CHAIN[:2] + CHAIN[3:],
        ancestry_names=("account a (123456789012)", "OU Prod (ou-r-prod)", "root Root (r-root)"),
    )
    assert named.ancestry_line() == "OU Prod (ou-r-prod) → root Root (r-root)"
    assert _org().ancestry_line() == "ou-r-prod → ou-r-work → r-root"
