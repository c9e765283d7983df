"""Report fixtures: the hand-built review folder, a SEC2 questionnaire and stub check metadata."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixed_checks import fixed_questionnaire
from tests.report.fixtures.make_fixtures import HERE as FIXTURES
from tests.report.fixtures.make_fixtures import sec2_check_ids
from wa_review.checks import CheckMeta
from wa_review.model.evidence import Severity
from wa_review.model.questionnaire import Questionnaire
from wa_review.questionnaires import loader
from wa_review.report import context as report_context
from wa_review.review.bundle import ReviewBundle, load_bundle

# Check metadata as the registry would give it; the improvement plan quotes the remediation.
STUB_CHECKS = {
    "lambda.function_policy_public": CheckMeta(
        id="lambda.function_policy_public",
        title="Lambda function policies do not allow public invocation",
        severity=Severity.CRITICAL,
        service="lambda",
        rationale="Anyone could invoke it.",
        remediation="Remove statements with `Principal: *` (`aws lambda remove-permission`).",
    ),
}


def stub_lookup(check_id: str) -> CheckMeta | None:
    return STUB_CHECKS.get(check_id)


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return fixed_questionnaire()  # goldens do not change when a check is added


@pytest.fixture
def review_dir(tmp_path: Path) -> Path:
    """A copy of the fixture folder (review.yaml + evidence.json) that a test may change."""
    for name in ("evidence.json", "review.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def bundle(review_dir: Path, questionnaire: Questionnaire) -> ReviewBundle:
    return load_bundle(review_dir / "review.yaml", questionnaire=questionnaire)


@pytest.fixture
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands read the check registry; pin it to the YAML's ids and the stub metadata, so
    these tests depend on the report code only (tests/unit/questionnaire cover the registry)."""
    monkeypatch.setattr(loader, "registry_checks", sec2_check_ids)
    monkeypatch.setattr(report_context, "registry_lookup", stub_lookup)
