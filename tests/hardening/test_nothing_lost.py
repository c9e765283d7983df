"""Nothing lost: SIGKILL in the middle of a review keeps every confirmed decision, a damaged
session points at its last good copy, and a push that fails half-way says what it wrote."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.hardening import notes_loop
from tests.hardening.save_loop import expected_after, practices, step_of
from tests.report.fixtures.make_fixtures import HERE as REPORT_FIXTURES
from tests.tui.conftest import FIXTURE as TUI_FIXTURE
from wa_review.cli import main
from wa_review.errors import InputFileError, WaToolError
from wa_review.questionnaires import sec2
from wa_review.review import store
from wa_review.review.outcome import new_session
from wa_review.review.payload import payload_from_session
from wa_review.review.session import (
    SESSION_NOTES_MAX,
    Decision,
    Workload,
    annotate,
    decide,
    with_question_notes,
)
from wa_review.review.store import last_good_copy, load_session, save_session
from wa_review.watool.client import make_client
from wa_review.watool.emulator import WaToolEmulator
from wa_review.watool.payload import CHOICE_NOTES_MAX, AnswerPayload
from wa_review.watool.push import PushOptions, push_review
from wa_review.watool.workload import WorkloadSpec

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 8


def _kill_mid_review(path: Path, rng: random.Random) -> int:
    """Run the save loop, SIGKILL it after a random number of saves; the last step it ACKed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.hardening.save_loop", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        for _ in range(rng.randint(1, 40)):
            line = child.stdout.readline()
            assert line.startswith("ACK "), line + (child.stderr.read() if child.stderr else "")
        os.kill(child.pid, signal.SIGKILL)
        rest, errors = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL, errors
    acked = [int(line.split()[1]) for line in (line, *rest.splitlines()) if line.startswith("ACK")]
    return max(acked)


def test_sigkill_mid_review_loses_no_confirmed_decision(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    ids = practices()
    rng = random.Random(7)
    for _ in range(ROUNDS):
        confirmed = _kill_mid_review(path, rng)
        session = load_session(path)  # never damaged, whenever the kill came
        saved = step_of(session)
        # The child may have saved one more step than it lived to acknowledge, never fewer.
        assert saved in (confirmed, confirmed + 1)
        decided = {c.choice_id: c.decision for c in session.choices if c.choice_id in ids}
        assert decided == expected_after(saved, ids)
        backup = load_session(last_good_copy(path))
        assert step_of(backup) in (saved - 1, saved)
    leftovers = {p.name for p in tmp_path.iterdir()} - {"review.yaml", "review.yaml.bak"}
    # A kill between writing a temporary file and renaming it can leave that file behind; it
    # is never the session itself.
    assert all(name.startswith(".review.yaml") and name.endswith(".tmp") for name in leftovers)


def test_a_damaged_session_names_its_last_good_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "review.yaml"
    _kill_mid_review(path, random.Random(3))
    good = load_session(last_good_copy(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2] + "\n  - {broken", encoding="utf-8")
    for args in (["report", str(path), "-o", "-"], ["push", str(path), "--workload-name", "Shop"]):
        with pytest.raises(SystemExit) as stop:
            main(args)
        err = capsys.readouterr().err
        assert stop.value.code == 2
        assert str(path) in err and f"{path}.bak" in err
    assert load_session(last_good_copy(path)) == good  # the damaged file did not replace it


# -- a push that fails half-way -----------------------------------------------------------------


@pytest.fixture(scope="module")
def wa_tool() -> Iterator[WaToolEmulator]:
    with WaToolEmulator() as emulator:
        yield emulator


@pytest.fixture
def client(wa_tool: WaToolEmulator) -> Any:
    wa_tool.reset()
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    return make_client(
        region="us-east-1",
        endpoint_url=wa_tool.url,
        session=session,
        retry_mode="standard",
        max_attempts=2,
    )


def _payload() -> AnswerPayload:
    questionnaire = sec2()
    session = new_session(questionnaire, Workload(name="Orders Service"))
    session = decide(session, "sec_sec_q2_a1", Decision.SELECTED, by="alice")
    session = decide(session, "sec_sec_q2_a4", Decision.SELECTED, by="alice")
    session = decide(session, "sec_sec_q2_a3", Decision.UNSELECTED, by="alice")
    return payload_from_session(session, questionnaire, ())


def _options(tmp_path: Path) -> PushOptions:
    spec = WorkloadSpec("Orders Service", "PRODUCTION", "alice", "Orders", ("us-east-1",))
    return PushOptions(workload_name="Orders Service", create=spec, pdf_path=tmp_path / "r.pdf")


def _answer(client: Any) -> dict[str, Any]:
    workload = client.list_workloads()["WorkloadSummaries"][0]["WorkloadId"]
    answer: dict[str, Any] = client.get_answer(
        WorkloadId=workload, LensAlias="serverless", QuestionId="sec_q2"
    )["Answer"]
    return answer


@pytest.mark.parametrize(
    ("failing", "said"),
    [
        ("CreateMilestone", "No milestone was created and no PDF was saved"),
        ("GetLensReviewReport", "was created; the PDF was not saved"),
    ],
)
def test_a_failure_after_the_answer_was_written_says_which_choices_were(
    client: Any, wa_tool: WaToolEmulator, tmp_path: Path, failing: str, said: str
) -> None:
    wa_tool.throttle(50, operation=failing)
    if failing == "CreateMilestone":  # not raised: the result carries it, for the session
        result = push_review(client, _payload(), _options(tmp_path), confirm=lambda _plan: True)
        assert result.milestone_error is not None and result.pending_milestone
        message = result.milestone_error
    else:
        with pytest.raises(WaToolError) as raised:
            push_review(client, _payload(), _options(tmp_path), confirm=lambda _plan: True)
        message = raised.value.message
    assert "ThrottlingException" in message and said in message
    assert "The answer was written to workload 'Orders Service'" in message
    answer = _answer(client)
    # Every choice the WA Tool now holds is named in the message with that status.
    for choice in answer["ChoiceAnswers"]:
        status = choice["Status"]
        assert f"{choice['ChoiceId']} {status}" in message
    assert answer["SelectedChoices"] == ["sec_sec_q2_a1", "sec_sec_q2_a4"]
    assert not (tmp_path / "r.pdf").exists()


def test_a_refused_update_says_nothing_was_written(
    client: Any, wa_tool: WaToolEmulator, tmp_path: Path
) -> None:
    wa_tool.throttle(50, operation="UpdateAnswer")
    with pytest.raises(WaToolError, match="Nothing was written") as raised:
        push_review(client, _payload(), _options(tmp_path), confirm=lambda _plan: True)
    assert "sec_q2" in raised.value.message
    assert _answer(client)["SelectedChoices"] == []
    assert "UpdateAnswer" not in [r.operation for r in wa_tool.requests if r.status == 200]


# -- notes over the WA Tool's limit, typed in the app when it is killed ---------------------


def test_sigkill_while_over_limit_notes_are_typed_keeps_them_in_the_session(
    tmp_path: Path,
) -> None:
    shutil.copy(TUI_FIXTURE, tmp_path / "evidence.json")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.hardening.notes_loop", str(tmp_path / "evidence.json")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    acked = 0
    try:
        for _ in range(random.Random(11).randint(2, 5)):
            line = child.stdout.readline()
            assert line.startswith("ACK "), line + (child.stderr.read() if child.stderr else "")
            acked = int(line.split()[1])
        os.kill(child.pid, signal.SIGKILL)  # while the next chunk is being typed
        child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    notes = load_session(tmp_path / "evidence.review.yaml").choice(notes_loop.CHOICE).notes
    assert acked > CHOICE_NOTES_MAX and len(notes) >= acked
    # Whole chunks, in order: what was typed, never cut to the WA Tool's 250.
    steps = (len(notes) - len(notes_loop.PASTED)) // 8
    assert notes == notes_loop.typed_after(steps)


def test_a_push_refuses_notes_over_the_limit_and_shows_what_would_be_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], wa_tool: WaToolEmulator
) -> None:
    wa_tool.reset()
    for name in ("evidence.json", "review.yaml"):
        shutil.copy(REPORT_FIXTURES / name, tmp_path / name)
    path = tmp_path / "review.yaml"
    session = load_session(path)
    kept = "k" * CHOICE_NOTES_MAX
    session = annotate(session, "sec_sec_q2_a1", kept + "CUT-THIS-TAIL")
    save_session(session, path)
    args = ["push", str(path), "--workload-name", "Orders", "--endpoint-url", wa_tool.url]
    with pytest.raises(SystemExit) as stop:
        main([*args, "--region", "us-east-1", "--yes"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "Traceback" not in err
    assert "Evaluate and define resource policies (sec_sec_q2_a1)" in err
    assert "13 over the WA Tool's 250; would cut: 'CUT-THIS-TAIL'" in err
    assert "Nothing was written" in err
    assert wa_tool.requests == []  # refused before anything was read or written
    assert load_session(path).choice("sec_sec_q2_a1").notes == kept + "CUT-THIS-TAIL"


def test_a_session_too_large_to_read_back_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Six notes at the session's limit stay well under the real bound (1 MiB); a smaller bound
    # shows what happens at it: the write is refused and the last good file stays.
    monkeypatch.setattr(store, "MAX_SESSION_BYTES", 64 * 1024)
    path = tmp_path / "review.yaml"
    session = new_session(sec2(), Workload(name="big-notes"))
    save_session(session, path)
    before = path.read_bytes()
    for choice in session.choices:
        session = annotate(session, choice.choice_id, "\U0001f600" * SESSION_NOTES_MAX)
    session = with_question_notes(session, "\U0001f600" * SESSION_NOTES_MAX)
    with pytest.raises(InputFileError, match="more than the 65,536 a session may hold"):
        save_session(session, path)
    assert path.read_bytes() == before
