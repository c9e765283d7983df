"""Live collection (moto in-process and a scripted collector) and the push to the WA Tool."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, Input

from tests.tui.conftest import FIXTURE, click_shown, evidence_loaded, first_screen, wait_for
from tests.watool.conftest import emulator_client
from wa_review.aws.context import AwsOptions
from wa_review.aws.run import Progress
from wa_review.errors import CredentialsError
from wa_review.model.choice import ChoiceState
from wa_review.model.evidence_file import EvidenceFile, load_evidence_file
from wa_review.review.session import Decision, decide
from wa_review.review.store import load_session, save_session
from wa_review.tui import app as app_module
from wa_review.tui.app import make_app
from wa_review.tui.screens import collection
from wa_review.tui.screens.collection import CollectionScreen
from wa_review.tui.screens.dialogs import ConfirmDialog, ErrorDialog
from wa_review.tui.screens.overview import OverviewScreen
from wa_review.tui.screens.practice import PracticeScreen
from wa_review.tui.screens.push_form import PushFormScreen
from wa_review.tui.screens.summary import SummaryScreen
from wa_review.tui.state import Review, open_review
from wa_review.tui.widgets.progress_table import ProgressTable
from wa_review.watool.emulator import WaToolEmulator

SCRIPT = (
    Progress("lambda", "123456789012", "us-east-1", "started"),
    Progress("lambda", "123456789012", "us-east-1", "done", resources=3, calls=5),
    Progress("sqs", "123456789012", "us-east-1", "started"),
    Progress(
        "sqs",
        "123456789012",
        "us-east-1",
        "failed",
        calls=1,
        errors=1,
        message="sqs:ListQueues failed: AccessDenied: [bold]no[/] \x1b[31m",
    ),
    Progress("apigateway", "123456789012", "us-east-1", "started"),
)


def scripted_collector(steps: tuple[Progress, ...] = SCRIPT) -> Callable[..., Any]:
    """Stands in for the collection: reports `steps`, then runs until cancelled."""

    def collect(*_args: Any, on_progress: Any, cancelled: Any, **_kwargs: Any) -> None:
        for step in steps:
            on_progress(step)
        deadline = time.monotonic() + 20
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        return None

    return collect


async def test_collection_shows_progress_and_errors_and_can_be_cancelled(
    review_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collection, "collect_evidence", scripted_collector())
    app = make_app(start_collection=True, aws_options=AwsOptions(regions=("us-east-1",)))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, CollectionScreen))
        table = app.screen.query_one(ProgressTable)
        await wait_for(lambda: table.row_count == 3 and app.review is not None)
        assert app.collecting
        await pilot.press("b")  # review while it runs
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        app.decide("sec_sec_q2_a4", Decision.SELECTED)
        app.switch_mode("collect")
        await pilot.press("c")
        await wait_for(lambda: not app.collecting and app.current_mode == "review")
        assert app.require_review().session.choice("sec_sec_q2_a4").decision is Decision.SELECTED
        await app.workers.wait_for_complete()
    sessions = list(review_dir.glob("wa-review-*.review.yaml"))
    assert len(sessions) == 1 and not list(review_dir.glob("*.evidence.json"))


async def test_a_failed_collection_shows_the_error_over_the_start_screen(
    review_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def collect(*_args: Any, **_kwargs: Any) -> None:
        raise CredentialsError("No AWS credentials were found.", hint="Try 'wa-review demo'.")

    monkeypatch.setattr(collection, "collect_evidence", collect)
    app = make_app(start_collection=True)
    async with app.run_test(size=(80, 24)):
        await wait_for(lambda: isinstance(app.screen, ErrorDialog))
        assert app.screen.hint == "Try 'wa-review demo'."
        assert app.current_mode == "start" and not app.collecting
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("decided", [False, True])
async def test_a_collection_failing_before_its_session_opens_lands_once_it_is_open(
    review_dir: Path, monkeypatch: pytest.MonkeyPatch, decided: bool
) -> None:
    session_path = review_dir / "live.review.yaml"
    if decided:
        opened = open_review(session_path=session_path)
        save_session(
            decide(opened.session, "sec_sec_q2_a3", Decision.SELECTED, by="me"), session_path
        )
    failed = threading.Event()

    def collect(*_args: Any, **_kwargs: Any) -> None:
        failed.set()
        raise CredentialsError("No AWS credentials were found.", hint="Try 'wa-review demo'.")

    def open_after_the_failure(**kwargs: Any) -> Review:
        failed.wait(10)  # the race seen on busy machines, made certain
        return open_review(**kwargs)

    monkeypatch.setattr(collection, "collect_evidence", collect)
    monkeypatch.setattr(app_module, "open_review", open_after_the_failure)
    app = make_app(start_collection=True, session_path=session_path)
    async with app.run_test(size=(80, 24)):
        await wait_for(lambda: isinstance(app.screen, ErrorDialog))
        await app.workers.wait_for_complete()
        await wait_for(lambda: app.review is not None)
        assert isinstance(app.screen, ErrorDialog) and not app.collecting
        assert app.current_mode == ("review" if decided else "start")


@pytest.mark.parametrize("first", ["the session opens", "the collection ends"])
async def test_collecting_again_keeps_the_decisions_and_lands_where_the_reviewer_left_off(
    review_dir: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """Both orders of the two workers (opening the session, collecting) end the same way."""
    opened = open_review(evidence_path=review_dir / "evidence.json")
    session_path = opened.session_path
    save_session(decide(opened.session, "sec_sec_q2_a3", Decision.SELECTED, by="me"), session_path)
    (review_dir / "evidence.json").write_text("{}", encoding="utf-8")  # the old file is gone

    fresh = load_evidence_file(FIXTURE)
    session_open = threading.Event()
    collected = threading.Event()

    def collect(_options: Any, out: Path, **_kwargs: Any) -> EvidenceFile:
        if first == "the session opens":
            session_open.wait(10)
        fresh.save(out)
        collected.set()
        return fresh

    def open_in_order(**kwargs: Any) -> Review:
        # Only the open the collection screen starts waits; the one with the evidence is later.
        if first == "the collection ends" and kwargs.get("evidence_path") is None:
            collected.wait(10)
        review = open_review(**kwargs)
        session_open.set()
        return review

    monkeypatch.setattr(collection, "collect_evidence", collect)
    monkeypatch.setattr(app_module, "open_review", open_in_order)
    app = make_app(start_collection=True, session_path=session_path)
    async with app.run_test(size=(120, 40)):
        # Back where the reviewer left off, with the new evidence (and only once it is
        # drawn: leaving while the screen mounts would tear it down half-built).
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))
        table = await evidence_loaded(app)
        assert table.row_count > 0
        await app.workers.wait_for_complete()
        review = app.require_review()
        # An open that answers after a newer one must not replace the review with evidence.
        assert review.evidence_file is not None
        assert review.evidence_path == review_dir / "evidence.evidence.json"
        assert review.session.choice("sec_sec_q2_a3").decision is Decision.SELECTED


async def test_live_collection_from_moto_becomes_the_review(review_dir: Path, moto: Any) -> None:
    app = make_app(
        start_collection=True,
        session_path=review_dir / "live.review.yaml",
        aws_options=AwsOptions(regions=("us-east-1",), max_attempts=2),
        session_factory=lambda **_: moto,
    )
    async with app.run_test(size=(120, 40)):
        await wait_for(
            lambda: app.review is not None and app.review.evidence_file is not None, timeout=60
        )
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        await app.workers.wait_for_complete()
    saved = load_session(review_dir / "live.review.yaml")
    assert saved.evidence is not None and saved.evidence.path == "live.evidence.json"
    assert (review_dir / "live.evidence.json").exists()


async def test_practices_whose_checks_have_answered_show_evidence_while_a_slow_service_runs(
    review_dir: Path, moto: Any
) -> None:
    """SQS is held back (a botocore hook on the session, the way a slow service behaves): the
    practices that do not read SQS get their suggestion, the one that does waits for it."""
    sqs = moto.client("sqs", region_name="us-east-1")
    url = sqs.create_queue(QueueName="open-queue")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn}
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    release = threading.Event()

    def hold(**_: Any) -> None:  # returns None: a value would stand in for AWS's response
        release.wait(30)

    moto.events.register("before-call.sqs", hold)
    a1, a4 = "sec_sec_q2_a1", "sec_sec_q2_a4"
    app = make_app(
        start_collection=True,
        session_path=review_dir / "live.review.yaml",
        aws_options=AwsOptions(regions=("us-east-1",), max_attempts=2),
        session_factory=lambda **_: moto,
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:

            def suggestion(choice: str) -> Any:
                return app.require_review().assessment.get(choice)

            await wait_for(
                lambda: (
                    app.review is not None
                    and app.review.preview is not None
                    and not suggestion(a4).pending_checks
                ),
                timeout=60,
            )
            assert app.collecting and app.require_review().evidence_file is None
            assert "sqs.queue_policy_public" in suggestion(a1).pending_checks
            assert suggestion(a4).evidence  # its rows are in already
            await pilot.press("b")
            await wait_for(lambda: isinstance(app.screen, OverviewScreen))
            listed = str(app.screen.query_one("#practices").get_option(a1).prompt)
            assert "still collecting" in listed
            source = str(app.screen.query_one("#evidence-source").render())
            assert "results so far" in source
            app.accept_suggestion(a1)  # nothing to accept yet: refused, not guessed
            assert app.require_review().session.choice(a1).decision is None

            release.set()
            await wait_for(lambda: app.require_review().evidence_file is not None, timeout=60)
            review = app.require_review()
            assert review.preview is None and not suggestion(a1).pending_checks
            assert suggestion(a1).state is ChoiceState.UNSELECTED  # the open queue fails it
            assert any(e.resource_arn == arn for e in suggestion(a1).failing)
            await app.workers.wait_for_complete()
    finally:
        release.set()


@pytest.fixture(scope="module")
def wa_tool() -> Iterator[WaToolEmulator]:
    with WaToolEmulator() as emulator:
        yield emulator


def wa_client(emulator: WaToolEmulator) -> Callable[[str], Any]:
    return lambda region: emulator_client(emulator, region, attempts=2)


async def open_push_form(app: Any, pilot: Any) -> PushFormScreen:
    await pilot.press("m")
    await wait_for(lambda: isinstance(app.screen, SummaryScreen))
    app.screen.query_one("#do-push").focus()
    await pilot.press("enter")
    await wait_for(lambda: isinstance(app.screen, PushFormScreen) and app.screen.query("#do-plan"))
    form = app.screen
    assert isinstance(form, PushFormScreen)
    return form


async def test_push_shows_the_whole_plan_and_writes_only_after_confirmation(
    review_dir: Path, wa_tool: WaToolEmulator
) -> None:
    wa_tool.reset()
    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=wa_client(wa_tool))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.decide("sec_sec_q2_a2", Decision.SELECTED)
        form = await open_push_form(app, pilot)
        form.query_one("#workload", Input).value = "orders [bold]prod[/]"
        form.query_one("#review-owner", Input).value = "platform-team"
        form.query_one("#description", Input).value = "Orders API"
        form.query_one("#create", Checkbox).value = True
        form.query_one("#pdf", Input).value = str(review_dir / "wa-report.pdf")
        await click_shown(pilot, "#do-plan")
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        await wait_for(lambda: dialog.query("#confirm-body"))
        body = str(dialog.query_one("#confirm-body").render())
        # The same plan text as the CLI: the workload to create with the values the form showed.
        assert "orders [bold]prod[/] (not found in us-east-1; created on yes with:)" in body
        assert "review owner: platform-team" in body and "description: Orders API" in body
        assert "Writes on yes, in this order: CreateWorkload, UpdateAnswer" in body
        assert wa_tool.writes() == []  # nothing before yes
        await click_shown(pilot, "#yes")
        await wait_for(lambda: app.require_review().session.watool is not None, timeout=45)
        record = app.require_review().session.watool
        assert record is not None and record.milestone_number == 1
        created = wa_tool.writes()[0]
        assert created.operation == "CreateWorkload"
        assert created.params["ReviewOwner"] == "platform-team"
        assert created.params["Description"] == "Orders API"
        await app.workers.wait_for_complete()
    assert (review_dir / "wa-report.pdf").read_bytes().startswith(b"%PDF")
    assert load_session(review_dir / "evidence.review.yaml").watool is not None


async def test_cancelling_the_plan_sends_no_write(
    review_dir: Path, wa_tool: WaToolEmulator
) -> None:
    wa_tool.reset()
    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=wa_client(wa_tool))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        form = await open_push_form(app, pilot)
        form.query_one("#workload", Input).value = "orders"
        form.query_one("#review-owner", Input).value = "platform-team"
        form.query_one("#description", Input).value = "Orders API"
        form.query_one("#create", Checkbox).value = True
        await click_shown(pilot, "#do-plan")
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog) and app.screen.query("#no"))
        await click_shown(pilot, "#no")
        await wait_for(
            lambda: "Nothing was written" in str(form.query_one("#push-status").render())
        )
        await app.workers.wait_for_complete()
    assert wa_tool.writes() == []
    assert {r.operation for r in wa_tool.requests} <= {"ListWorkloads", "GetLens"}
    assert app.require_review().session.watool is None


async def test_the_form_is_prefilled_from_the_session_and_never_invents_values(
    review_dir: Path, wa_tool: WaToolEmulator
) -> None:
    wa_tool.reset()
    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=wa_client(wa_tool))
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(app)
        form = await open_push_form(app, pilot)
        workload = app.require_review().session.workload
        assert form.query_one("#workload", Input).value == workload.name
        assert form.query_one("#review-owner", Input).value == workload.review_owner
        # Every field and both buttons are on screen at 80x24, without scrolling.
        for selector in (
            "#workload",
            "#environment",
            "#review-owner",
            "#description",
            "#push-region",
            "#create",
            "#pdf",
            "#do-plan",
            "#close",
        ):
            region = form.query_one(selector).region
            assert region.area > 0 and region.bottom <= 24 and region.right <= 80, selector
        form.query_one("#review-owner", Input).value = ""
        form.query_one("#create", Checkbox).value = True
        await click_shown(pilot, "#do-plan")
        await wait_for(
            lambda: isinstance(app.screen, ErrorDialog) and app.screen.query("#error-message")
        )
        message = str(app.screen.query_one("#error-message").render())
        assert "needs a review owner" in message
    assert wa_tool.requests == []


async def test_a_region_without_the_wa_tool_is_refused_before_any_call(
    review_dir: Path, wa_tool: WaToolEmulator, aws_env: None
) -> None:
    wa_tool.reset()
    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=wa_client(wa_tool))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        form = await open_push_form(app, pilot)
        form.query_one("#push-region", Input).value = "us-east-9"
        await click_shown(pilot, "#do-plan")
        await wait_for(
            lambda: isinstance(app.screen, ErrorDialog) and app.screen.query("#error-message")
        )
        assert "no endpoint in Region 'us-east-9'" in str(
            app.screen.query_one("#error-message").render()
        )
        await wait_for(lambda: not form.query_one("Grid").loading)  # the spinner stops
    assert wa_tool.requests == []


async def test_p_from_the_overview_opens_the_push_form(
    review_dir: Path, wa_tool: WaToolEmulator
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=wa_client(wa_tool))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("p")
        await wait_for(lambda: isinstance(app.screen, PushFormScreen))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))


async def test_a_tui_push_that_finds_the_answer_there_still_records_what_the_wa_tool_says(
    review_dir: Path, wa_tool: WaToolEmulator
) -> None:
    wa_tool.reset()
    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=wa_client(wa_tool))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.decide("sec_sec_q2_a2", Decision.SELECTED)
        form = await open_push_form(app, pilot)
        form.query_one("#review-owner", Input).value = "platform-team"
        form.query_one("#description", Input).value = "Orders API"
        form.query_one("#create", Checkbox).value = True
        await click_shown(pilot, "#do-plan")
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog) and app.screen.query("#yes"))
        await click_shown(pilot, "#yes")
        await wait_for(lambda: app.require_review().session.watool is not None, timeout=45)
        session = app.require_review().session
        app.update_session(session.model_copy(update={"watool": None}))
        writes = len(wa_tool.writes())
        await click_shown(pilot, "#do-plan")  # the same review again: nothing to write
        await wait_for(lambda: app.require_review().session.watool is not None, timeout=45)
        status = str(form.query_one("#push-status").render())
        await app.workers.wait_for_complete()
    assert "already holds this answer" in status
    assert len(wa_tool.writes()) == writes
    record = app.require_review().session.watool
    assert record is not None and record.lens_version == "2020-02-04" and record.risk is not None
