"""WA Tool fixtures: one emulator on 127.0.0.1 for the session, reset for every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from wa_review.watool.client import FreshRetry
from wa_review.watool.emulator import WaToolEmulator
from wa_review.watool.emulator_lens import serverless_lens
from wa_review.watool.payload import AnswerPayload, ChoiceAnswer, ChoiceStatus, WaReason

SEC2_TITLE = "How do you manage your Serverless application’s security boundaries?"
TITLES = {
    "sec_sec_q2_a1": "Evaluate and define resource policies",
    "sec_sec_q2_a4": "Use temporary credentials between resources and components",
    "sec_sec_q2_a2": "Control network traffic at all layers",
    "sec_sec_q2_a3": "Design smaller, single purpose functions",
    "sec_sec_q2_no": "None of these",
}

# A lens review on an old version that numbers every SEC2 choice differently (titles unchanged),
# and the version the review was written for, which UpgradeLensReview moves it to.
OLD_LENS = serverless_lens(
    status="NOT_CURRENT",
    version="2019-11-01",
    choice_ids={cid: cid.replace("sec_sec_q2", "sec_old_q2") for cid in TITLES},
)
NEW_LENS = serverless_lens(version="2020-02-04")


@pytest.fixture(scope="session")
def wa_emulator() -> Iterator[WaToolEmulator]:
    with WaToolEmulator() as emulator:
        yield emulator


@pytest.fixture
def emulator(wa_emulator: WaToolEmulator, aws_env: None) -> WaToolEmulator:
    """The session's emulator with no workloads, an empty log and the default lenses."""
    wa_emulator.reset()
    return wa_emulator


def emulator_client(emulator: WaToolEmulator, region: str = "us-east-1", attempts: int = 4) -> Any:
    """A real boto3 client against the emulator (standard retries: fast to exhaust)."""
    return boto3.client(
        "wellarchitected",
        endpoint_url=emulator.url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
        config=Config(retries={"mode": "standard", "max_attempts": attempts}),
    )


def create_workload(client: Any, name: str = "Orders") -> str:
    """A production workload with the serverless lens, as the console would create it."""
    created = client.create_workload(
        WorkloadName=name,
        Description="Orders API",
        Environment="PRODUCTION",
        ReviewOwner="platform-team",
        Lenses=["serverless"],
        AwsRegions=["us-east-1"],
    )
    return str(created["WorkloadId"])


@pytest.fixture
def wa_client(emulator: WaToolEmulator) -> Any:
    return emulator_client(emulator)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def fresh(sleeps: Sleeps) -> FreshRetry:
    """Retry ResourceNotFound after creation without really waiting (the sleeps are recorded)."""
    return FreshRetry(attempts=5, delay=2.0, sleep=sleeps)


def choice(
    choice_id: str, status: ChoiceStatus, *, notes: str = "", reason: WaReason | None = None
) -> ChoiceAnswer:
    return ChoiceAnswer(
        choice_id=choice_id, title=TITLES[choice_id], status=status, notes=notes, reason=reason
    )


def sec2_payload(**overrides: Any) -> AnswerPayload:
    """A typical reviewed SEC2: two Required practices met, network N/A, smaller functions not."""
    fields: dict[str, Any] = {
        "question_title": SEC2_TITLE,
        "choices": [
            choice("sec_sec_q2_a1", ChoiceStatus.SELECTED, notes="12/12 function policies scoped"),
            choice("sec_sec_q2_a4", ChoiceStatus.SELECTED, notes="One role per function"),
            choice(
                "sec_sec_q2_a2",
                ChoiceStatus.NOT_APPLICABLE,
                notes="No VPC-attached functions",
                reason=WaReason.OUT_OF_SCOPE,
            ),
            choice("sec_sec_q2_a3", ChoiceStatus.UNSELECTED),
            choice("sec_sec_q2_no", ChoiceStatus.UNSELECTED),
        ],
        "notes": "Evidence: 12 functions, 4 queues, 2 APIs checked.",
    }
    fields.update(overrides)
    return AnswerPayload(**fields)


PayloadFactory = Callable[..., AnswerPayload]


@pytest.fixture
def payload_factory() -> PayloadFactory:
    return sec2_payload
