"""Resource-policy judgement: who a policy really lets in (Allow, Deny and conditions), and why.

Pure Python: no AWS calls, no boto3.
"""

from __future__ import annotations

from wa_review.policy.apigw_arn import ExecuteApiArn, parse_execute_api_arn
from wa_review.policy.context import RESOURCE_TYPES, PolicyContext
from wa_review.policy.judge import judge_policy
from wa_review.policy.load import PolicyParseError, load_policy_document
from wa_review.policy.verdict import AccessClass, Reason, Verdict

__all__ = [
    "RESOURCE_TYPES",
    "AccessClass",
    "ExecuteApiArn",
    "PolicyContext",
    "PolicyParseError",
    "Reason",
    "Verdict",
    "judge_policy",
    "load_policy_document",
    "parse_execute_api_arn",
]
