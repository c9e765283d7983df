"""A SEC2 questionnaire and a fresh session for review tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.report.fixtures.make_fixtures import sec2_check_ids
from wa_review.model.questionnaire import Questionnaire
from wa_review.questionnaires import BUILTIN_DIR, load_questionnaire
from wa_review.review.outcome import new_session
from wa_review.review.session import Environment, ReviewSession, Workload

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire(
        BUILTIN_DIR / "serverless" / "sec_q2.yaml", known_check_ids=sec2_check_ids()
    )


@pytest.fixture
def session(questionnaire: Questionnaire) -> ReviewSession:
    workload = Workload(
        name="orders-platform",
        description="Order intake",
        environment=Environment.PRODUCTION,
        review_owner="alice@example.com",
        regions=["eu-west-1"],
        accounts=["111122223333"],
    )
    return new_session(questionnaire, workload, tool_version="0.1.0", at=T0)
