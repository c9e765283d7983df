"""One "worst status" order for the whole code base: FAIL, UNKNOWN, WARN, PASS, NOT_APPLICABLE."""

from __future__ import annotations

import pytest

from wa_review.model.evidence import STATUSES_WORST_FIRST, Status, worst


def test_every_status_has_one_place_in_the_order() -> None:
    assert set(STATUSES_WORST_FIRST) == set(Status)
    ranks = [status.rank for status in STATUSES_WORST_FIRST]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks)


def test_unknown_needs_more_attention_than_a_warning_and_less_than_a_failure() -> None:
    assert worst([Status.PASS, Status.WARN, Status.UNKNOWN]) is Status.UNKNOWN
    assert worst([Status.UNKNOWN, Status.FAIL, Status.PASS]) is Status.FAIL
    assert worst([Status.NOT_APPLICABLE, Status.PASS]) is Status.PASS


def test_worst_of_nothing_is_an_error_not_a_pass() -> None:
    with pytest.raises(ValueError):
        worst([])
