"""The table of documented patterns and peer blind spots, judged one by one."""

from __future__ import annotations

import json

import pytest
from policy_cases import CASES, ME, Case

from wa_review.policy import AccessClass, PolicyContext, judge_policy


def _context(case: Case) -> PolicyContext:
    return PolicyContext(
        account_id=ME,
        resource_type=case.rtype,
        resource_arn=case.arn,
        org_id=case.org_id,
        trusted_accounts=case.trusted,
    )


def test_table_is_big_and_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case(case: Case) -> None:
    verdict = judge_policy(case.policy, _context(case))
    explained = json.dumps(verdict.to_dict(), indent=1)
    assert verdict.most_open == AccessClass(case.expect), explained
    for group, expected in case.groups.items():
        assert verdict.by_action_group[group][0] == AccessClass(expected), explained
    # Every verdict explains itself: reasons exist, end in full sentences and agree with it.
    assert verdict.reasons
    assert all(r.detail.endswith(".") for r in verdict.reasons)
    assert verdict.classes[0] == verdict.most_open or verdict.most_open is AccessClass.UNKNOWN
    assert {r.access_class for r in verdict.reasons} == set(verdict.classes)
    json.dumps(verdict.to_dict())
