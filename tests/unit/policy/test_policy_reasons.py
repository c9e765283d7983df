"""What a verdict carries for the checks built on it: reasons, their fields, the API shape."""

from __future__ import annotations

import json

from policy_cases import API, APIGW_PRIVATE, BUCKET, ME, OTHER, QUEUE, TOPIC, pol, st, svc

from wa_review.policy import AccessClass, PolicyContext, Reason, Verdict, judge_policy

SQS = PolicyContext(account_id=ME, resource_type="sqs", resource_arn=QUEUE)


def test_reason_records_the_pinning_values_and_the_raw_statement() -> None:
    statement = st(
        svc("s3"),
        "sqs:SendMessage",
        QUEUE,
        {"ArnLike": {"aws:SourceArn": BUCKET}, "StringEquals": {"aws:SourceAccount": ME}},
        sid="S3Events",
    )
    verdict = judge_policy(pol(statement), SQS)
    (reason,) = verdict.reasons
    assert isinstance(reason, Reason)
    assert reason.statement == "S3Events"
    assert reason.access_class is AccessClass.SERVICE_SCOPED
    assert reason.action_group == "send"
    assert reason.principals == ("s3.amazonaws.com",)
    assert reason.actions == ("sqs:SendMessage",)
    assert reason.source_arns == (BUCKET,)
    assert reason.source_accounts == (ME,)
    assert reason.statement_json == statement


def test_network_values_come_from_the_deny_that_decided() -> None:
    ctx = PolicyContext(account_id=ME, resource_type="apigateway", resource_arn=API)
    verdict = judge_policy(APIGW_PRIVATE, ctx)
    (reason,) = verdict.reasons
    assert reason.statement == "#2"  # no Sid: the 1-based position
    assert reason.network == ("vpce-1a2b3c4d",)
    assert "Deny '#1'" in reason.detail


def test_classes_are_sorted_most_open_first_and_groups_cover_the_type() -> None:
    policy = pol(
        st({"AWS": ME}, "sqs:*", QUEUE),
        st("*", "sqs:SendMessage", QUEUE, {"ArnEquals": {"aws:SourceArn": TOPIC}}),
        st({"AWS": OTHER}, "sqs:ReceiveMessage", QUEUE),
    )
    verdict = judge_policy(policy, SQS)
    assert verdict.classes == (
        AccessClass.CROSS_ACCOUNT,
        AccessClass.SERVICE_SCOPED,
        AccessClass.ACCOUNT_ONLY,
    )
    assert verdict.most_open is AccessClass.CROSS_ACCOUNT
    assert set(verdict.by_action_group) == {"send", "receive", "read", "admin"}
    assert verdict.by_action_group["send"] == (
        AccessClass.SERVICE_SCOPED,
        AccessClass.ACCOUNT_ONLY,
    )


def test_principals_with_the_same_outcome_share_one_reason() -> None:
    verdict = judge_policy(pol(st({"AWS": [OTHER, "222233334444"]}, "sqs:SendMessage", QUEUE)), SQS)
    (reason,) = verdict.reasons
    assert reason.principals == (OTHER, "222233334444")
    assert f"account {OTHER} and account 222233334444" in reason.detail


def test_to_dict_is_the_documented_json_shape() -> None:
    data = judge_policy(pol(st("*", "sqs:SendMessage", QUEUE, sid="Open")), SQS).to_dict()
    assert data["most_open"] == "public"
    assert data["classes"] == ["public"]
    first = data["reasons"][0]
    assert {"statement", "class", "detail"} <= set(first)
    assert first["statement"] == "Open"
    assert first["class"] == "public"
    json.dumps(data)


def test_unknown_outranks_all_but_public() -> None:
    unreadable = st("*", "sqs:ReceiveMessage", QUEUE, {"Bogus": {"a:b": "c"}})
    assert judge_policy(pol(unreadable), SQS).most_open is AccessClass.UNKNOWN
    with_public = judge_policy(pol(unreadable, st("*", "sqs:SendMessage", QUEUE)), SQS)
    assert with_public.most_open is AccessClass.PUBLIC
    assert AccessClass.UNKNOWN in with_public.classes


def test_denies_that_cannot_be_read_are_reported_not_applied() -> None:
    verdict = judge_policy(pol(st("*", "sqs:SendMessage", QUEUE), {"Effect": "Deny"}), SQS)
    assert verdict.most_open is AccessClass.PUBLIC
    assert verdict.notes and "was not applied" in verdict.notes[0]


def test_if_exists_is_explained() -> None:
    policy = pol(
        st("*", "sqs:SendMessage", QUEUE, {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}})
    )
    (reason,) = judge_policy(policy, SQS).reasons
    assert reason.access_class is AccessClass.PUBLIC
    assert "no aws:SourceVpce" in reason.detail


def test_verdict_is_a_frozen_value() -> None:
    verdict = judge_policy(pol(), SQS)
    assert isinstance(verdict, Verdict)
    assert verdict.most_open is AccessClass.ACCOUNT_ONLY
    assert verdict.reasons[0].statement == "(policy)"
    try:
        verdict.most_open = AccessClass.PUBLIC  # type: ignore[misc]
    except AttributeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("Verdict must be frozen")


def test_source_values_that_pin_no_one_are_still_shown_for_grading() -> None:
    wide = "arn:aws:execute-api:us-east-1:*:a1b2c3/*"
    policy = pol(
        st(svc("apigateway"), "lambda:InvokeFunction", "*", {"ArnLike": {"aws:SourceArn": wide}})
    )
    ctx = PolicyContext(account_id=ME, resource_type="lambda")
    (reason,) = judge_policy(policy, ctx).reasons
    assert reason.access_class is AccessClass.SERVICE_UNSCOPED
    assert reason.source_arns == (wide,)
    assert "wildcard where the account belongs" in reason.detail


def test_a_statement_that_can_never_apply_grants_nothing_and_says_so() -> None:
    never = st(
        "*", "sqs:SendMessage", QUEUE, {"StringEquals": {"aws:SourceAccount": "*"}}, sid="Oops"
    )
    alone = judge_policy(pol(never), SQS)
    (reason,) = alone.reasons
    assert reason.access_class is AccessClass.ACCOUNT_ONLY
    assert reason.detail.startswith("Statement 'Oops' can never apply: StringEquals")
    # It lets no one in: no group, no principal, no action for a check to grade.
    assert (reason.action_group, reason.principals, reason.actions) == ("", (), ())
    assert reason.statement_json == never
    assert all(cs == (AccessClass.ACCOUNT_ONLY,) for cs in alone.by_action_group.values())
    beside = judge_policy(pol(never, st({"AWS": OTHER}, "sqs:SendMessage", QUEUE)), SQS)
    assert beside.most_open is AccessClass.CROSS_ACCOUNT
    assert beside.by_action_group["send"][0] is AccessClass.CROSS_ACCOUNT


def test_a_deleted_principal_is_a_note_and_the_rest_is_judged() -> None:
    policy = pol(st({"AWS": ["AROAZ5EXAMPLEROLE0001", OTHER]}, "sqs:SendMessage", QUEUE))
    verdict = judge_policy(policy, SQS)
    assert verdict.most_open is AccessClass.CROSS_ACCOUNT
    (reason,) = verdict.reasons
    assert reason.principals == (OTHER,)
    (note,) = verdict.notes
    assert "AROAZ5EXAMPLEROLE0001" in note and "deleted role" in note and "no one" in note


def test_a_broad_range_says_why_it_is_public() -> None:
    policy = pol(st("*", "sqs:SendMessage", QUEUE, {"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}))
    (reason,) = judge_policy(policy, SQS).reasons
    assert reason.access_class is AccessClass.PUBLIC
    assert reason.network == ("0.0.0.0/1",)
    assert "0.0.0.0/1 is broader than /8" in reason.detail
    assert '"The meaning of public"' in reason.detail


def test_a_deny_that_can_never_apply_is_a_note() -> None:
    deny = st("*", "*", "*", {"StringEquals": {"aws:SourceVpce": "vpce-*"}}, effect="Deny")
    verdict = judge_policy(pol(st({"AWS": OTHER}, "sqs:SendMessage", QUEUE), deny), SQS)
    assert verdict.most_open is AccessClass.CROSS_ACCOUNT
    assert any(n.startswith("Deny statement '#2' can never apply") for n in verdict.notes)


def test_only_the_actions_that_carry_the_key_are_judged() -> None:
    ctx = PolicyContext(account_id=ME, resource_type="sns", resource_arn=TOPIC)
    policy = pol(
        st(
            "*",
            ["sns:Publish", "sns:Subscribe"],
            TOPIC,
            {"StringEquals": {"sns:Protocol": "https"}},
        )
    )
    verdict = judge_policy(policy, ctx)
    (reason,) = verdict.reasons
    assert reason.action_group == "subscribe"
    assert reason.actions == ("sns:Subscribe",)
    assert "false for sns:Publish" in reason.detail
    assert verdict.by_action_group["publish"] == (AccessClass.ACCOUNT_ONLY,)


def test_a_deny_keeps_only_the_values_a_request_can_carry() -> None:
    deny = st(
        "*",
        "*",
        "*",
        {"StringNotEquals": {"aws:SourceVpce": ["vpce-1a2b", "vpce-*"]}},
        effect="Deny",
    )
    verdict = judge_policy(pol(st("*", "sqs:SendMessage", QUEUE), deny), SQS)
    assert verdict.most_open is AccessClass.NETWORK_RESTRICTED
    assert verdict.reasons[0].network == ("vpce-1a2b",)
    assert any("so only vpce-1a2b counts" in n for n in verdict.notes)
