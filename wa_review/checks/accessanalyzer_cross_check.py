"""IAM Access Analyzer's CheckNoPublicAccess as a second opinion on our judge (practice a1).

Opt-in (`--access-analyzer`): the answers were fetched after collection; this check only
compares them with the judge's verdict. A disagreement is not a finding about the resource: it
says one of the two readings is wrong, and a reviewer has to read the policy to know which.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_review.checks.support.helpers import Emitter, judge_document, reasons_of
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.access_analyzer_cross_check import (
    FAIL,
    PASS,
    AccessAnalyzerCrossCheckSnapshot,
    PublicAccessCheck,
)
from wa_review.policy import AccessClass, PolicyParseError, Verdict, load_policy_document

CHECK_ID = "accessanalyzer.public_access_cross_check"
GLOBAL = "global"  # account-wide evidence has no region
NOT_REQUESTED = "Access Analyzer cross-check not requested (--access-analyzer)"


@check(
    CHECK_ID,
    title="IAM Access Analyzer agrees with wa-review on which resource policies are public",
    severity=Severity.MEDIUM,
    service="accessanalyzer",
    rationale="wa-review judges resource policies offline with its own rules; IAM Access Analyzer's "
    "CheckNoPublicAccess reasons about the same policy with AWS's. Where the two disagree, one of "
    "them misreads the policy (a condition, a Deny, an unusual principal), so the public-access "
    "result for that resource cannot be trusted until a person reads it. Opt-in with "
    "--access-analyzer, because AWS bills every check; without it the check is not applicable.",
    remediation="Read the statements both sides name. If the policy is public, fix it as the "
    "resource's own public-access check says; if it is not, record why in the review notes (and "
    "report a wa-review misjudgement with the policy, redacted).",
    references=(
        "https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoPublicAccess.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html",
    ),
)
def public_access_cross_check(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    answered = list(inv.each(AccessAnalyzerCrossCheckSnapshot))
    if not answered:
        # Not requested: say so, so the practice's suggestion does not wait on a check that
        # was never meant to run ("no evidence" would send it to the reviewer).
        yield emit(Status.NOT_APPLICABLE, "", GLOBAL, NOT_REQUESTED)
        return
    for region, snap in answered:
        if snap.listing_error is not None:
            yield emit.unknown(
                "", region, snap.listing_error, "resource policies with IAM Access Analyzer"
            )
        elif not snap.checks:
            yield emit.not_applicable(region, "resource policies Access Analyzer can check")
        for item in snap.checks:
            yield _compare(emit, inv, cfg, item)


def _compare(
    emit: Emitter, inv: AccountInventory, cfg: CheckConfig, item: PublicAccessCheck
) -> Evidence:
    arn, region, label = item.resource_arn, item.region, item.label
    if item.error is not None:
        return emit(
            Status.UNKNOWN,
            arn,
            region,
            f"{label}: IAM Access Analyzer could not check the policy: "
            f"{item.error.code}: {item.error.message}",
            error=item.error.to_dict(),
        )
    aws = _aws_details(item)
    if item.result not in (PASS, FAIL):
        return emit(
            Status.UNKNOWN,
            arn,
            region,
            f"{label}: IAM Access Analyzer gave no PASS or FAIL ({item.result or 'nothing'})",
            **aws,
        )
    aws_text = "public" if item.aws_says_public else "not public"
    verdict = judge_document(item.document, inv.account, item.judge_type, arn, cfg)
    if isinstance(verdict, str):
        return emit(
            Status.UNKNOWN,
            arn,
            region,
            f"{label}: cannot compare, {verdict}; IAM Access Analyzer says {aws_text}",
            **aws,
        )
    ours_public = AccessClass.PUBLIC in verdict.classes
    if not ours_public and verdict.most_open is AccessClass.UNKNOWN:
        return emit(
            Status.UNKNOWN,
            arn,
            region,
            f"{label}: cannot compare, wa-review could not judge the policy; IAM Access "
            f"Analyzer says {aws_text}",
            **aws,
            judge=_judge_details(verdict, public=False),
        )
    details = {**aws, "judge": _judge_details(verdict, public=ours_public)}
    if ours_public == item.aws_says_public:
        return emit(
            Status.PASS, arn, region, f"{label}: IAM Access Analyzer agrees: {aws_text}", **details
        )
    ours_text = "public" if ours_public else f"not public ({verdict.most_open.value})"
    return emit(
        Status.WARN,
        arn,
        region,
        f"{label}: IAM Access Analyzer says {aws_text}{_aws_why(item)}, wa-review says "
        f"{ours_text}{_our_why(verdict, public=ours_public)}: read the policy to settle it",
        **details,
    )


def _aws_why(item: PublicAccessCheck) -> str:
    said = [r.description for r in item.reasons if r.description] or [item.message]
    said = [s for s in said if s]
    return f" ({'; '.join(said)})" if said else ""


def _our_why(verdict: Verdict, *, public: bool) -> str:
    wanted = AccessClass.PUBLIC if public else verdict.most_open
    details = [f"{r.statement}: {r.detail}" for r in verdict.reasons if r.access_class is wanted]
    return f" ({'; '.join(details[:2])})" if details else ""


def _aws_details(item: PublicAccessCheck) -> dict[str, Any]:
    """AWS's answer and the statements it points at, as the evidence's details."""
    statements = _statements(item.document)
    reasons: list[dict[str, Any]] = []
    for reason in item.reasons:
        entry: dict[str, Any] = {
            "description": reason.description,
            "statement_index": reason.statement_index,
            "statement_id": reason.statement_id,
        }
        index = reason.statement_index
        if index is not None and 0 <= index < len(statements):
            entry["statement_json"] = statements[index]
        reasons.append(entry)
    return {
        "resource_type": item.resource_type,
        "access_analyzer": {"result": item.result, "message": item.message, "reasons": reasons},
    }


def _judge_details(verdict: Verdict, *, public: bool) -> dict[str, Any]:
    chosen = reasons_of(verdict, AccessClass.PUBLIC) if public else reasons_of(verdict)
    return {
        "most_open": verdict.most_open.value,
        "classes": [c.value for c in verdict.classes],
        "reasons": chosen,
    }


def _statements(document: str) -> list[Any]:
    """The policy's statements in order (AWS indexes them from 0); [] when unreadable."""
    try:
        statements = load_policy_document(document).get("Statement")
    except PolicyParseError:
        return []
    if isinstance(statements, dict):
        return [statements]
    return list(statements) if isinstance(statements, list) else []
