"""Severity, "Fix first", overrides and exceptions in the core and in every report format."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.report.conftest import stub_lookup
from wa_review.assessment import ChoiceState, assess, finding_key
from wa_review.checks import CheckMeta
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.questionnaire import Questionnaire
from wa_review.report import render
from wa_review.review.bundle import ReviewBundle
from wa_review.review.findings import (
    display_name,
    fix_first,
    remediation_command,
    what_would_change,
)
from wa_review.review.outcome import assess_session, goes_against, outcomes
from wa_review.review.payload import payload_from_session
from wa_review.review.session import (
    AcceptedFinding,
    Decision,
    accept_finding,
    active_exceptions,
    decide,
    withdraw_finding,
)

A1 = "sec_sec_q2_a1"
FN = "arn:aws:lambda:eu-west-1:111122223333:function:"


def meta(check_id: str, severity: Severity, remediation: str = "") -> CheckMeta:
    return CheckMeta(check_id, f"title of {check_id}", severity, "lambda", "", remediation)


LOOKUP = {
    "c.low": meta("c.low", Severity.LOW, "Tighten it."),
    "c.critical": meta("c.critical", Severity.CRITICAL, "Run `aws lambda remove-permission`."),
    "c.high": meta("c.high", Severity.HIGH),
}


def fail(check_id: str, name: str, summary: str = "") -> Evidence:
    return Evidence(check_id, Status.FAIL, FN + name, "eu-west-1", "111122223333", summary or name)


def test_fix_first_ranks_failing_findings_by_severity_then_check_then_resource() -> None:
    rows = [
        fail("c.low", "b"),
        fail("c.high", "z"),
        fail("c.critical", "y", "y: anyone may invoke"),
        fail("c.high", "a"),
        fail("c.high", "a"),  # the same finding twice is listed once
        Evidence("c.critical", Status.PASS, FN + "ok", "eu-west-1", "1", "fine"),
    ]
    items = fix_first(rows, lookup=LOOKUP.get)
    assert [(i.severity_text, i.resource) for i in items] == [
        ("critical", "y"),
        ("high", "a"),
        ("high", "z"),
        ("low", "b"),
    ]
    top = items[0]
    assert top.why == "anyone may invoke"  # the name is in its own column
    assert top.command == "aws lambda remove-permission"
    assert items[3].command == "" and items[3].advice == "Tighten it."


def test_an_accepted_finding_leaves_the_list_and_an_unknown_check_ranks_last() -> None:
    rows = [fail("c.low", "b"), fail("c.unknown", "u"), fail("c.critical", "y")]
    accepted = {finding_key(rows[2])}
    items = fix_first(rows, lookup=LOOKUP.get, accepted=accepted)
    assert [(i.severity_text, i.resource) for i in items] == [("low", "b"), ("unrated", "u")]


def test_display_name_prefers_the_name_the_summary_gives_an_opaque_id() -> None:
    stage = Evidence(
        "apigateway.stage_waf",
        Status.FAIL,
        "arn:aws:apigateway:us-east-1::/restapis/fhfdpd0klv/stages/dev",
        "us-east-1",
        "1",
        "booking-api/dev: no web ACL on a REGIONAL endpoint",
    )
    assert display_name(stage) == "booking-api/dev"
    assert display_name(fail("c.low", "orders", "orders: open")) == "orders"
    assert remediation_command("Use `aws x y` then `z`.") == "aws x y"


def test_what_would_change_names_the_findings_by_severity(questionnaire: Questionnaire) -> None:
    rows = [fail("lambda.function_policy_public", n) for n in ("a", "b", "c")]
    suggestion = assess(questionnaire, rows).get(A1)
    assert suggestion.state is ChoiceState.UNSELECTED
    assert (
        what_would_change(suggestion, lookup=stub_lookup)
        == "Select once these 3 critical findings are fixed or accepted."
    )


def test_an_exception_recomputes_the_suggestion_until_it_expires(bundle: ReviewBundle) -> None:
    session, questionnaire = bundle.session, bundle.questionnaire
    evidence = bundle.evidence_file.evidence
    before = assess_session(session, questionnaire, evidence).get(A1)
    assert before.state is ChoiceState.UNSELECTED
    today = date(2026, 3, 10)
    for row in before.failing:
        session = accept_finding(
            session,
            AcceptedFinding(
                check_id=row.check_id,
                resource_arn=row.resource_arn,
                region=row.region,
                account=row.account,
                reason="Public by design: the status page",
                owner="platform-team",
                expires=today,
            ),
        )
    after = assess_session(session, questionnaire, evidence, today=today).get(A1)
    assert after.state is not ChoiceState.UNSELECTED
    assert after.accepted == before.failing
    assert any("accepted as exceptions" in r for r in after.reasons)
    # The day after it expires, the finding counts again.
    expired = assess_session(session, questionnaire, evidence, today=today + timedelta(days=1))
    assert expired.get(A1).state is ChoiceState.UNSELECTED
    assert active_exceptions(session, today + timedelta(days=1)) == frozenset()
    # Withdrawn, it counts again at once.
    first = session.exceptions[0]
    session = withdraw_finding(session, first.key)
    assert first.key not in {e.key for e in session.exceptions}


def test_an_override_keeps_its_reason_in_the_notes_and_the_reports(
    bundle: ReviewBundle,
) -> None:
    session, questionnaire = bundle.session, bundle.questionnaire
    evidence = bundle.evidence_file.evidence
    suggestion = assess_session(session, questionnaire, evidence).get(A1)
    assert goes_against(suggestion, Decision.SELECTED)
    session = decide(
        session,
        A1,
        Decision.SELECTED,
        by="auditor",
        justification="The public function only serves the status page",
    )
    item = next(
        o
        for o in outcomes(session, questionnaire, assess_session(session, questionnaire, evidence))
        if o.choice.id == A1
    )
    assert item.is_override
    answer = next(
        c
        for c in payload_from_session(session, questionnaire, evidence).choices
        if c.choice_id == A1
    )
    assert "Override: The public function only serves the status page" in answer.notes
    md = render(session, questionnaire, bundle.evidence_file, fmt="md", lookup=stub_lookup)
    assert "**override**: The public function only serves the status page" in md
    assert "(override)" in md
    data = json.loads(render(session, questionnaire, bundle.evidence_file, fmt="json"))
    assert data["overrides"][A1] == "The public function only serves the status page"
    # A new decision that agrees with the evidence drops the old reason.
    session = decide(session, A1, Decision.UNSELECTED, by="auditor")
    assert session.choice(A1).justification == ""


def test_every_report_shows_severity_and_fix_first(bundle: ReviewBundle) -> None:
    args = (bundle.session, bundle.questionnaire, bundle.evidence_file)
    md = render(*args, fmt="md", lookup=stub_lookup)
    assert md.index("## Fix first") < md.index("## 1. ")
    assert "| 1 | CRITICAL |" in md
    assert "Severity: **CRITICAL**" in md
    html = render(*args, fmt="html", lookup=stub_lookup)
    assert "Fix first" in html and "CRITICAL" in html
    data = json.loads(render(*args, fmt="json"))
    assert data["fix_first"] and data["fix_first"][0]["severity"] in {"critical", "high"}
    assert all("severity" in row for rows in data["evidence"].values() for row in rows)
