"""The fixed set of checks that report goldens and TUI snapshots are built from.

Fixtures cut the shipped questionnaire to these checks, so adding a check (its module and a YAML
line) changes no golden file, no snapshot and no count: only a test written for the new check.
Renaming or removing one of these ids does change the fixtures, as it should.
"""

from __future__ import annotations

from wa_review.model.questionnaire import Questionnaire
from wa_review.questionnaires import BUILTIN_DIR, load_questionnaire

FIXED_CHECK_IDS = frozenset(
    {
        "accessanalyzer.findings",
        "accessanalyzer.public_access_cross_check",
        "apigateway.authorizers",
        "apigateway.private_endpoint_restricted",
        "apigateway.rest_api_policy",
        "apigateway.stage_waf",
        "appsync.api_waf",
        "dynamodb.resource_policy_public",
        "ec2.function_sg_egress",
        "ec2.function_subnet_nacl",
        "events.bus_policy_public",
        "iam.function_role_wildcards",
        "iam.lambda_vpc_condition_keys",
        "lambda.egress_path",
        "lambda.function_policy_apigw_scope",
        "lambda.function_policy_cross_account",
        "lambda.function_policy_public",
        "lambda.function_policy_unscoped_service",
        "lambda.function_role_breadth",
        "lambda.function_url_auth_none",
        "lambda.layer_policy_public",
        "lambda.no_static_credentials",
        "lambda.subnets_private",
        "lambda.unique_execution_role",
        "lambda.vpc_attachment",
        "network.egress_filtering",
        "organizations.scp_guardrails",
        "s3.bucket_acl",
        "s3.bucket_public",
        "sns.topic_policy_public",
        "sqs.queue_policy_public",
        "vpc.endpoints_for_services",
        "vpc.flow_logs",
        "waf.logging",
        "waf.rule_coverage",
    }
)


def fixed_questionnaire() -> Questionnaire:
    """The shipped SEC2 questionnaire (titles, rules, guidance) with only the fixed checks."""
    path = BUILTIN_DIR / "serverless" / "sec_q2.yaml"
    shipped = load_questionnaire(path, known_check_ids=None)
    choices = [
        choice.model_copy(update={"checks": [c for c in choice.checks if c in FIXED_CHECK_IDS]})
        for choice in shipped.choices
    ]
    return shipped.model_copy(update={"choices": choices})
