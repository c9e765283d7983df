"""The opt-in Access Analyzer cross-check (--access-analyzer): AWS's answer against the judge's.

CheckNoPublicAccess comes from a `before-send` fake in AWS's wire shape
(tests/aws/fixtures/check_no_public_access.py), as moto lacks the service.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.aws.faults import json_error
from tests.aws.fixtures import resource_policy_account as account
from tests.aws.fixtures.check_no_public_access import (
    OPERATION,
    FakeCheckNoPublicAccess,
    collect,
    principal_star,
)
from tests.conftest import make_context
from wa_review.assessment import assess
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.iam_policy import collection_actions, iam_action_for
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.accessanalyzer_cross_check import (
    CHECK_ID,
    NOT_REQUESTED,
    public_access_cross_check,
)
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import CheckConfig
from wa_review.model.snapshots.access_analyzer_cross_check import AccessAnalyzerCrossCheckSnapshot
from wa_review.pipeline import run_checks
from wa_review.questionnaires import sec2

BASE = f"arn:aws:sqs:{account.REGION}:{account.ACCOUNT}"
PUBLIC_Q, PARTNER_Q, FANOUT_Q = (
    f"{BASE}:{n}" for n in ("public-queue", "partner-queue", "fanout-queue")
)


def _by_arn(collection: Collection) -> dict[str, Evidence]:
    evidence = list(public_access_cross_check(collection.inventories[0], CheckConfig()))
    json.dumps([e.to_dict() for e in evidence])  # details stay JSON-serialisable
    return {e.resource_arn: e for e in evidence}


def test_agreement_passes_for_public_and_not_public_alike(moto: Any) -> None:
    account.queues(moto)
    fake = FakeCheckNoPublicAccess(principal_star)
    collection = collect(moto, [fake])
    found = _by_arn(collection)
    # Queues without a policy are not sent: there is nothing for AWS to judge.
    assert set(found) == {PUBLIC_Q, PARTNER_Q, FANOUT_Q}
    assert all(e.status is Status.PASS for e in found.values())
    assert found[PUBLIC_Q].summary == "queue public-queue: IAM Access Analyzer agrees: public"
    assert found[PARTNER_Q].summary.endswith("IAM Access Analyzer agrees: not public")
    assert found[FANOUT_Q].details["judge"]["most_open"] == "service_scoped"
    # The wire shape AWS gets: POST, REST path, the policy as a JSON string, the type's enum.
    sent = {r["resourceType"] for r in fake.requests}
    assert sent == {"AWS::SQS::Queue"}
    assert {(r["method"], r["url"].split("amazonaws.com", 1)[1]) for r in fake.requests} == {
        ("POST", "/policy/check-no-public-access")
    }
    assert collection.calls[OPERATION] == 3


def test_disagreement_warns_naming_both_answers_and_aws_reasons(moto: Any) -> None:
    account.queues(moto)

    def contrary(document: dict[str, Any]) -> bool:
        return not principal_star(document)  # AWS says the opposite of our judge

    found = _by_arn(collect(moto, [FakeCheckNoPublicAccess(contrary)]))
    ours_public = found[PUBLIC_Q]
    assert ours_public.status is Status.WARN
    assert "IAM Access Analyzer says not public (No public access.)" in ours_public.summary
    assert "wa-review says public" in ours_public.summary
    assert ours_public.details["judge"]["reasons"][0]["class"] == "public"
    theirs_public = found[PARTNER_Q]
    assert theirs_public.status is Status.WARN
    assert (
        "IAM Access Analyzer says public (Public access granted in the following statement "
        "with index: 0.)" in theirs_public.summary
    )
    assert "wa-review says not public (cross_account" in theirs_public.summary
    # The statement AWS points at travels with the evidence, for the reviewer to read.
    [reason] = theirs_public.details["access_analyzer"]["reasons"]
    assert reason["statement_json"]["Principal"] == {"AWS": f"arn:aws:iam::{account.PARTNER}:root"}


def test_access_denied_is_unknown_once_for_the_region_after_one_call(moto: Any) -> None:
    account.queues(moto)

    def denied(_document: dict[str, Any]) -> AWSResponse:
        return json_error(403, "AccessDeniedException", "not authorized", "https://aa/")

    collection = collect(moto, [FakeCheckNoPublicAccess(denied)])
    [evidence] = public_access_cross_check(collection.inventories[0], CheckConfig())
    assert evidence.status is Status.UNKNOWN and evidence.region == account.REGION
    assert "AccessDeniedException" in evidence.summary
    assert collection.calls[OPERATION] == 1  # no point asking about the other two
    assert [e.operation for e in collection.errors] == ["CheckNoPublicAccess"]


def test_one_failed_call_makes_only_that_policy_unknown(moto: Any) -> None:
    account.queues(moto)

    def flaky(document: dict[str, Any]) -> bool | AWSResponse:
        if "partner-queue" in json.dumps(document):
            return json_error(400, "ValidationException", "policy too complex", "https://aa/")
        return principal_star(document)

    found = _by_arn(collect(moto, [FakeCheckNoPublicAccess(flaky)]))
    assert found[PARTNER_Q].status is Status.UNKNOWN
    assert "ValidationException: policy too complex" in found[PARTNER_Q].summary
    assert found[PUBLIC_Q].status is Status.PASS and found[FANOUT_Q].status is Status.PASS


def test_moto_lacks_the_api_so_the_region_is_unknown(moto: Any) -> None:
    account.queues(moto)
    [evidence] = public_access_cross_check(collect(moto).inventories[0], CheckConfig())
    assert evidence.status is Status.UNKNOWN and "ApiUnavailable" in evidence.summary


def test_off_by_default_no_call_and_the_suggestion_is_unaffected(moto: Any) -> None:
    account.queues(moto)
    fake = FakeCheckNoPublicAccess(principal_star)
    ctx = make_context(moto)
    assert ctx.options.access_analyzer is False
    ctx.before_send_hooks.append(fake)
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    assert not [k for k in ctx.recorder.calls if k.startswith("access-analyzer:")]
    assert fake.requests == []
    inv = collection.inventories[0]
    assert list(inv.each(AccessAnalyzerCrossCheckSnapshot)) == []
    [evidence] = public_access_cross_check(inv, CheckConfig())
    assert (evidence.status, evidence.summary) == (Status.NOT_APPLICABLE, NOT_REQUESTED)
    # Not requested is not "the check did not run": the practice waits on nothing from it.
    suggestion = assess(sec2(), run_checks(collection, CheckConfig())).get("sec_sec_q2_a1")
    assert CHECK_ID not in suggestion.missing_checks


def test_nothing_to_ask_about_is_not_applicable_for_the_region(moto: Any) -> None:
    fake = FakeCheckNoPublicAccess(principal_star)
    [evidence] = public_access_cross_check(collect(moto, [fake]).inventories[0], CheckConfig())
    assert evidence.status is Status.NOT_APPLICABLE and fake.requests == []
    assert evidence.summary == (
        f"No resource policies Access Analyzer can check in scope in {account.REGION}"
    )


def test_out_of_scope_policies_are_not_sent(moto: Any) -> None:
    account.queues(moto)
    fake = FakeCheckNoPublicAccess(principal_star)
    collect(moto, [fake], tags=(("app", "none"),))
    assert fake.requests == []


def test_the_call_is_declared_in_the_printed_policy(moto: Any) -> None:
    account.queues(moto)
    collection = collect(moto, [FakeCheckNoPublicAccess(principal_star)])
    assert OPERATION in collection_actions()
    made = {iam_action_for(*key.split(":", 1)) for key in collection.calls}
    assert made <= set(collection_actions())
