"""Resource policies with the verdict a correct judge must give: data, one case per pattern.

Each case names the AWS pattern (or the peer blind spot) it pins down. `groups` checks the most
open class of some action groups when the headline alone would hide the point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

ME = "123456789012"
OTHER = "111122223333"
TRUSTED = "444455556666"
ORG = "o-a1b2c3d4e5"
FN = f"arn:aws:lambda:us-east-1:{ME}:function:orders"
QUEUE = f"arn:aws:sqs:us-east-1:{ME}:orders"
TOPIC = f"arn:aws:sns:us-east-1:{ME}:orders"
BUCKET = "arn:aws:s3:::orders-bucket"
TABLE = f"arn:aws:dynamodb:us-east-1:{ME}:table/orders"
BUS = f"arn:aws:events:us-east-1:{ME}:event-bus/orders"
LAYER = f"arn:aws:lambda:us-east-1:{ME}:layer:shared:3"
API = f"arn:aws:execute-api:us-east-1:{ME}:a1b2c3d4e5"

Json = dict[str, Any]


@dataclass(frozen=True)
class Case:
    name: str
    rtype: str
    policy: Json | str
    expect: str
    groups: dict[str, str] = field(default_factory=dict)
    org_id: str | None = None
    trusted: frozenset[str] = frozenset()
    arn: str = ""


def st(
    principal: Any = "*",
    action: Any = "*",
    resource: Any = "*",
    condition: Json | None = None,
    *,
    effect: str = "Allow",
    sid: str | None = None,
    not_principal: Any = None,
    not_action: Any = None,
) -> Json:
    out: Json = {"Effect": effect}
    if sid:
        out["Sid"] = sid
    if not_principal is not None:
        out["NotPrincipal"] = not_principal
    else:
        out["Principal"] = principal
    if not_action is not None:
        out["NotAction"] = not_action
    else:
        out["Action"] = action
    out["Resource"] = resource
    if condition is not None:
        out["Condition"] = condition
    return out


def pol(*statements: Json) -> Json:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def svc(name: str) -> Json:
    return {"Service": f"{name}.amazonaws.com"}


INVOKE = "lambda:InvokeFunction"
APIGW_PRIVATE = pol(
    st(
        "*",
        "execute-api:Invoke",
        "execute-api:/*",
        {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
        effect="Deny",
    ),
    st("*", "execute-api:Invoke", "execute-api:/*"),
)
# What GetRestApi really returns in `policy`: escaped quotes and slashes, no outer quotes.
APIGW_ESCAPED = json.dumps(APIGW_PRIVATE).replace('"', '\\"').replace("/", "\\/")
APIGW_EXPANDED = pol(
    st("*", "execute-api:Invoke", f"{API}/*"),
    st(
        "*",
        "execute-api:Invoke",
        f"{API}/*",
        {"StringNotEquals": {"aws:sourceVpce": "vpce-1a2b3c4d"}},
        effect="Deny",
    ),
)


def _deny_unless(key: str, value: Any, op: str = "StringNotEquals", action: str = "*") -> Json:
    return st("*", action, "*", {op: {key: value}}, effect="Deny")


CASES: list[Case] = [
    # --- Lambda: the documented service invocations -------------------------------------
    Case(
        "lambda_apigw_no_condition",
        "lambda",
        pol(st(svc("apigateway"), INVOKE, FN)),
        "service_unscoped",
    ),
    Case(
        "lambda_apigw_source_arn_own_api",
        "lambda",
        pol(
            st(svc("apigateway"), INVOKE, FN, {"ArnLike": {"AWS:SourceArn": f"{API}/*/GET/orders"}})
        ),
        "service_scoped",
    ),
    Case(
        "lambda_apigw_source_arn_any_account",
        "lambda",
        pol(
            st(
                svc("apigateway"),
                INVOKE,
                FN,
                {"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/*"}},
            )
        ),
        "service_unscoped",
    ),
    Case(
        "lambda_apigw_source_arn_other_account",
        "lambda",
        pol(
            st(
                svc("apigateway"),
                INVOKE,
                FN,
                {"ArnLike": {"aws:SourceArn": f"arn:aws:execute-api:us-east-1:{OTHER}:x9/*"}},
            )
        ),
        "service_unscoped",
    ),
    Case(
        "lambda_apigw_source_arn_star",
        "lambda",
        pol(st(svc("apigateway"), INVOKE, FN, {"ArnLike": {"aws:SourceArn": "*"}})),
        "service_unscoped",
    ),
    Case(
        "lambda_s3_bucket_arn_without_account",
        "lambda",
        pol(st(svc("s3"), INVOKE, FN, {"ArnLike": {"aws:SourceArn": BUCKET}})),
        "service_unscoped",
    ),
    Case(
        "lambda_s3_bucket_arn_and_source_account",
        "lambda",
        pol(
            st(
                svc("s3"),
                INVOKE,
                FN,
                {"ArnLike": {"aws:SourceArn": BUCKET}, "StringEquals": {"aws:SourceAccount": ME}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "lambda_s3_source_account_other",
        "lambda",
        pol(st(svc("s3"), INVOKE, FN, {"StringEquals": {"aws:SourceAccount": OTHER}})),
        "service_unscoped",
    ),
    Case(
        "lambda_sns_topic_own",
        "lambda",
        pol(st(svc("sns"), INVOKE, FN, {"ArnLike": {"aws:SourceArn": TOPIC}})),
        "service_scoped",
    ),
    Case(
        "lambda_eventbridge_rule_own",
        "lambda",
        pol(
            st(
                svc("events"),
                INVOKE,
                FN,
                {"ArnLike": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ME}:rule/nightly"}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "lambda_alexa_event_source_token",
        "lambda",
        pol(
            st(
                {"Service": "alexa-appkit.amazonaws.com"},
                INVOKE,
                FN,
                {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1234"}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "lambda_source_arn_if_exists",
        "lambda",
        pol(st(svc("sns"), INVOKE, FN, {"ArnLikeIfExists": {"aws:SourceArn": TOPIC}})),
        "service_unscoped",
    ),
    Case(
        "lambda_service_list_unpinned",
        "lambda",
        pol(st({"Service": ["sns.amazonaws.com", "events.amazonaws.com"]}, INVOKE, FN)),
        "service_unscoped",
    ),
    Case(
        "lambda_url_auth_none",
        "lambda",
        pol(
            st(
                "*",
                "lambda:InvokeFunctionUrl",
                FN,
                {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
            )
        ),
        "public",
    ),
    Case(
        "lambda_url_auth_iam_any_account",
        "lambda",
        pol(
            st(
                "*",
                "lambda:InvokeFunctionUrl",
                FN,
                {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}},
            )
        ),
        "public",
    ),
    Case(
        "lambda_public_invoke",
        "lambda",
        pol(st("*", INVOKE, FN)),
        "public",
        {"invoke": "public", "admin": "account_only"},
    ),
    Case(
        "lambda_moto_star_root_is_public",
        "lambda",
        pol(st({"AWS": "arn:aws:iam::*:root"}, INVOKE, FN)),
        "public",
    ),
    Case(
        "lambda_own_account_root",
        "lambda",
        pol(st({"AWS": f"arn:aws:iam::{ME}:root"}, INVOKE, FN)),
        "account_only",
    ),
    Case("lambda_cross_account_id", "lambda", pol(st({"AWS": OTHER}, INVOKE, FN)), "cross_account"),
    Case(
        "lambda_trusted_account",
        "lambda",
        pol(st({"AWS": TRUSTED}, INVOKE, FN)),
        "account_only",
        trusted=frozenset({TRUSTED}),
    ),
    Case(
        "lambda_secure_transport_does_not_limit_who",
        "lambda",
        pol(st("*", INVOKE, FN, {"Bool": {"aws:SecureTransport": "true"}})),
        "public",
    ),
    Case(
        "lambda_not_action_leaves_invoke_open",
        "lambda",
        pol(st("*", not_action=INVOKE, resource=FN)),
        "public",
        {"invoke": "public", "read": "public"},
    ),
    Case(
        "lambda_action_case_insensitive",
        "lambda",
        pol(st("*", "LAMBDA:invokefunction", FN)),
        "public",
        {"invoke": "public", "read": "account_only"},
    ),
    Case(
        "lambda_deny_invoke_wildcard_removes",
        "lambda",
        pol(st("*", INVOKE, FN), st("*", "lambda:Invoke*", "*", effect="Deny")),
        "account_only",
    ),
    Case(
        "lambda_deny_one_action_leaves_others",
        "lambda",
        pol(st("*", "lambda:*", FN), _deny_unless("aws:SourceVpce", "vpce-1", action=INVOKE)),
        "public",
        {"invoke": "public"},
    ),
    Case(
        "lambda_arn_wildcard_region_still_pinned",
        "lambda",
        pol(st(svc("sns"), INVOKE, FN, {"StringLike": {"aws:SourceArn": f"arn:aws:sns:*:{ME}:*"}})),
        "service_scoped",
    ),
    # --- Lambda layers ------------------------------------------------------------------
    Case(
        "layer_shared_to_org",
        "layer",
        pol(
            st("*", "lambda:GetLayerVersion", LAYER, {"StringEquals": {"aws:PrincipalOrgID": ORG}})
        ),
        "org_only",
        org_id=ORG,
    ),
    Case(
        "layer_public",
        "layer",
        pol(st("*", "lambda:GetLayerVersion", LAYER)),
        "public",
        {"use": "public", "admin": "account_only"},
    ),
    Case(
        "layer_org_wildcard_is_public",
        "layer",
        pol(
            st("*", "lambda:GetLayerVersion", LAYER, {"StringLike": {"aws:PrincipalOrgID": "o-*"}})
        ),
        "public",
    ),
    Case(
        "layer_other_org_is_cross_account",
        "layer",
        pol(
            st(
                "*",
                "lambda:GetLayerVersion",
                LAYER,
                {"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}},
            )
        ),
        "cross_account",
        org_id=ORG,
    ),
    Case(
        "layer_shared_to_account",
        "layer",
        pol(st({"AWS": OTHER}, "lambda:GetLayerVersion", LAYER)),
        "cross_account",
    ),
    # --- API Gateway private APIs -------------------------------------------------------
    Case("apigw_private_deny_unless_vpce", "apigateway", APIGW_PRIVATE, "network_restricted"),
    Case(
        "apigw_private_allow_with_vpce",
        "apigateway",
        pol(
            st(
                "*",
                "execute-api:Invoke",
                "execute-api:/*",
                {"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}},
            )
        ),
        "network_restricted",
    ),
    Case(
        "apigw_private_json_string_form",
        "apigateway",
        json.dumps(json.dumps(APIGW_PRIVATE)),
        "network_restricted",
    ),
    Case("apigw_private_get_rest_api_escaped", "apigateway", APIGW_ESCAPED, "network_restricted"),
    Case("apigw_private_expanded_arns", "apigateway", APIGW_EXPANDED, "network_restricted"),
    Case(
        "apigw_private_mixed_forms_known_api",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", f"{API}/*"),
            _deny_unless("aws:SourceVpce", "vpce-1") | {"Resource": "execute-api:/*"},
        ),
        "network_restricted",
        arn=API,
    ),
    Case(
        "apigw_deny_unless_source_vpc",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", "execute-api:/*"),
            _deny_unless("aws:SourceVpc", "vpc-0abc") | {"Resource": "execute-api:/*"},
        ),
        "network_restricted",
    ),
    Case(
        "apigw_ip_allow_list",
        "apigateway",
        pol(
            st(
                "*",
                "execute-api:Invoke",
                "execute-api:/*",
                {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}},
            )
        ),
        "network_restricted",
    ),
    Case(
        "apigw_ip_deny_outside_range",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", "execute-api:/*"),
            _deny_unless("aws:SourceIp", "203.0.113.0/24", "NotIpAddress"),
        ),
        "network_restricted",
    ),
    Case(
        "apigw_ip_every_address",
        "apigateway",
        pol(
            st(
                "*",
                "execute-api:Invoke",
                "execute-api:/*",
                {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
            )
        ),
        "public",
    ),
    Case(
        "apigw_deny_if_exists_lets_internet_in",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", "execute-api:/*"),
            _deny_unless("aws:SourceVpce", "vpce-1", "StringNotEqualsIfExists"),
        ),
        "public",
    ),
    Case(
        "apigw_deny_other_action",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", "execute-api:/*"),
            st("*", "execute-api:ManageConnections", "*", effect="Deny"),
        ),
        "public",
    ),
    Case(
        "apigw_deny_narrower_resource",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", "execute-api:/*"),
            _deny_unless("aws:SourceVpce", "vpce-1") | {"Resource": "execute-api:/prod/*"},
        ),
        "public",
    ),
    Case(
        "apigw_deny_unless_org",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", "execute-api:/*"), _deny_unless("aws:PrincipalOrgID", ORG)
        ),
        "org_only",
    ),
    Case(
        "apigw_cross_account_caller",
        "apigateway",
        pol(
            st({"AWS": f"arn:aws:iam::{OTHER}:role/caller"}, "execute-api:Invoke", "execute-api:/*")
        ),
        "cross_account",
    ),
    Case(
        "apigw_unconditional_deny_all",
        "apigateway",
        pol(st("*", "execute-api:Invoke", "execute-api:/*"), st("*", "*", "*", effect="Deny")),
        "account_only",
    ),
    # --- SQS -----------------------------------------------------------------------------
    Case(
        "sqs_sns_fan_out_own_topic",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"ArnEquals": {"aws:SourceArn": TOPIC}})),
        "service_scoped",
    ),
    Case(
        "sqs_sns_fan_out_other_account_topic",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{OTHER}:t"}},
            )
        ),
        "cross_account",
    ),
    Case(
        "sqs_sns_service_principal_scoped",
        "sqs",
        pol(st(svc("sns"), "sqs:SendMessage", QUEUE, {"ArnEquals": {"aws:SourceArn": TOPIC}})),
        "service_scoped",
    ),
    Case(
        "sqs_public_send",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE)),
        "public",
        {"send": "public", "receive": "account_only"},
    ),
    Case(
        "sqs_public_receive",
        "sqs",
        pol(st({"AWS": "*"}, ["sqs:ReceiveMessage", "sqs:DeleteMessage"], QUEUE)),
        "public",
        {"receive": "public", "send": "account_only"},
    ),
    Case(
        "sqs_s3_notifications_pinned",
        "sqs",
        pol(
            st(
                svc("s3"),
                "sqs:SendMessage",
                QUEUE,
                {"StringEquals": {"aws:SourceAccount": ME}, "ArnLike": {"aws:SourceArn": BUCKET}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "sqs_negated_operator_in_allow",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringNotEquals": {"aws:SourceAccount": OTHER}})),
        "public",
    ),
    Case(
        "sqs_admin_wildcard_groups",
        "sqs",
        pol(st({"AWS": OTHER}, "sqs:*", QUEUE)),
        "cross_account",
        {"admin": "cross_account", "send": "cross_account"},
    ),
    # --- SNS -----------------------------------------------------------------------------
    Case(
        "sns_default_policy_source_owner",
        "sns",
        pol(
            st(
                {"AWS": "*"},
                ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes"],
                TOPIC,
                {"StringEquals": {"AWS:SourceOwner": ME}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "sns_cloudwatch_alarm_pinned",
        "sns",
        pol(
            st(
                svc("cloudwatch"),
                "sns:Publish",
                TOPIC,
                {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ME}:alarm:*"}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "sns_public_subscribe",
        "sns",
        pol(st("*", "sns:Subscribe", TOPIC)),
        "public",
        {"subscribe": "public", "publish": "account_only"},
    ),
    Case(
        "sns_org_publish",
        "sns",
        pol(st("*", "sns:Publish", TOPIC, {"StringEquals": {"aws:PrincipalOrgID": ORG}})),
        "org_only",
    ),
    # --- S3 ------------------------------------------------------------------------------
    Case(
        "s3_public_read",
        "s3",
        pol(st("*", "s3:GetObject", f"{BUCKET}/*")),
        "public",
        {"read": "public", "write": "account_only"},
    ),
    Case(
        "s3_cloudfront_oac_pinned",
        "s3",
        pol(
            st(
                svc("cloudfront"),
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringEquals": {"AWS:SourceArn": f"arn:aws:cloudfront::{ME}:distribution/E1"}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "s3_deny_insecure_transport_only_account",
        "s3",
        pol(
            st({"AWS": ME}, "s3:*", [BUCKET, f"{BUCKET}/*"]),
            st(
                "*",
                "s3:*",
                [BUCKET, f"{BUCKET}/*"],
                {"Bool": {"aws:SecureTransport": "false"}},
                effect="Deny",
            ),
        ),
        "account_only",
    ),
    Case(
        "s3_deny_insecure_transport_does_not_limit_who",
        "s3",
        pol(
            st("*", "s3:GetObject", f"{BUCKET}/*"),
            st("*", "s3:*", "*", {"Bool": {"aws:SecureTransport": "false"}}, effect="Deny"),
        ),
        "public",
    ),
    Case(
        "s3_not_principal_allow_is_public",
        "s3",
        pol(
            st(
                not_principal={"AWS": f"arn:aws:iam::{OTHER}:root"},
                action="s3:GetObject",
                resource=f"{BUCKET}/*",
            )
        ),
        "public",
    ),
    Case(
        "s3_deny_not_principal_leaves_own_role",
        "s3",
        pol(
            st("*", "s3:GetObject", f"{BUCKET}/*"),
            st(
                not_principal={"AWS": f"arn:aws:iam::{ME}:role/app"},
                action="s3:*",
                resource="*",
                effect="Deny",
            ),
        ),
        "account_only",
    ),
    Case(
        "s3_deny_not_principal_spares_other_account",
        "s3",
        pol(
            st("*", "s3:GetObject", f"{BUCKET}/*"),
            st(
                not_principal={"AWS": [f"arn:aws:iam::{ME}:role/app", OTHER]},
                action="s3:*",
                resource="*",
                effect="Deny",
            ),
        ),
        "cross_account",
    ),
    Case(
        "s3_canonical_user",
        "s3",
        pol(
            st(
                {
                    "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
                },
                "s3:GetObject",
                f"{BUCKET}/*",
            )
        ),
        "cross_account",
    ),
    Case(
        "s3_deny_unless_vpce",
        "s3",
        pol(
            st("*", "s3:GetObject", f"{BUCKET}/*"),
            _deny_unless("aws:SourceVpce", "vpce-1", action="s3:*"),
        ),
        "network_restricted",
    ),
    # --- DynamoDB ------------------------------------------------------------------------
    Case(
        "dynamodb_cross_account_read",
        "dynamodb",
        pol(
            st(
                {"AWS": f"arn:aws:iam::{OTHER}:role/reader"},
                ["dynamodb:GetItem", "dynamodb:Query"],
                TABLE,
            )
        ),
        "cross_account",
        {"read": "cross_account", "write": "account_only"},
    ),
    Case(
        "dynamodb_own_role",
        "dynamodb",
        pol(st({"AWS": f"arn:aws:iam::{ME}:role/app"}, "dynamodb:*", TABLE)),
        "account_only",
    ),
    Case(
        "dynamodb_for_any_value_org",
        "dynamodb",
        pol(
            st(
                "*",
                "dynamodb:GetItem",
                TABLE,
                {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": ORG}},
            )
        ),
        "org_only",
    ),
    Case(
        "dynamodb_for_all_values_org_not_limiting",
        "dynamodb",
        pol(
            st(
                "*",
                "dynamodb:GetItem",
                TABLE,
                {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ORG}},
            )
        ),
        "public",
    ),
    # --- EventBridge ---------------------------------------------------------------------
    Case(
        "events_org_put_events",
        "events",
        pol(st("*", "events:PutEvents", BUS, {"StringEquals": {"aws:PrincipalOrgID": ORG}})),
        "org_only",
        {"send": "org_only"},
    ),
    Case(
        "events_moto_star_root",
        "events",
        pol(st({"AWS": "arn:aws:iam::*:root"}, "events:PutEvents", BUS)),
        "public",
    ),
    Case(
        "events_account_put",
        "events",
        pol(st({"AWS": f"arn:aws:iam::{OTHER}:root"}, "events:PutEvents", BUS)),
        "cross_account",
    ),
    # --- Peer blind spots ----------------------------------------------------------------
    Case(
        "and_not_or_wildcard_clause_does_not_open",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {
                    "StringEquals": {"aws:SourceVpce": "vpce-1"},
                    "StringLike": {"aws:SourceAccount": "*"},
                },
            )
        ),
        "network_restricted",
    ),
    Case(
        "source_account_star_is_public",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringLike": {"aws:SourceAccount": "*"}})),
        "public",
    ),
    Case(
        "org_paths_ou_subtree",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {
                    "ForAnyValue:StringLike": {
                        "aws:PrincipalOrgPaths": f"{ORG}/r-ab12/ou-ab12-11111111/*"
                    }
                },
            )
        ),
        "org_only",
    ),
    Case(
        "org_paths_wildcard_org",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*/r-ab12/*"}},
            )
        ),
        "public",
    ),
    Case(
        "principal_account_own",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringEquals": {"aws:PrincipalAccount": ME}})),
        "account_only",
    ),
    Case(
        "principal_account_other",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringEquals": {"aws:PrincipalAccount": OTHER}})),
        "cross_account",
    ),
    Case(
        "resource_org_id_does_not_limit_callers",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringEquals": {"aws:ResourceOrgID": ORG}})),
        "public",
    ),
    Case(
        "values_are_ored",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE, {"StringEquals": {"aws:SourceAccount": [ME, OTHER]}})
        ),
        "cross_account",
    ),
    Case(
        "condition_keys_case_insensitive",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"stringequals": {"AWS:SOURCEVPCE": "vpce-1"}})),
        "network_restricted",
    ),
    Case(
        "vpce_wildcard_does_not_limit",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringLike": {"aws:SourceVpce": "vpce-*"}})),
        "public",
    ),
    Case(
        "other_operator_families_do_not_limit_who",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {
                    "NumericLessThan": {"sqs:MessageSize": "1024"},
                    "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
                    "BinaryEquals": {"x:b": "QmluYXJ5"},
                    "Null": {"aws:SourceVpce": "false"},
                },
            )
        ),
        "public",
    ),
    Case(
        "org_id_wildcard_suffix",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"ForAnyValue:StringLike": {"aws:PrincipalOrgID": "o-a1b2*"}},
            )
        ),
        "public",
    ),
    Case(
        "deny_for_any_value_negated_does_not_subtract",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            _deny_unless("aws:PrincipalOrgID", ORG, "ForAnyValue:StringNotEquals"),
        ),
        "public",
    ),
    Case(
        "deny_for_all_values_negated_subtracts",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            _deny_unless("aws:PrincipalOrgID", ORG, "ForAllValues:StringNotEquals"),
        ),
        "org_only",
    ),
    Case(
        "deny_two_negated_clauses_union",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            st(
                "*",
                "*",
                "*",
                {"StringNotEquals": {"aws:SourceVpce": "vpce-1", "aws:SourceVpc": "vpc-1"}},
                effect="Deny",
            ),
        ),
        "network_restricted",
    ),
    Case(
        "deny_negated_and_transport_does_not_subtract",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            st(
                "*",
                "*",
                "*",
                {
                    "StringNotEquals": {"aws:SourceVpce": "vpce-1"},
                    "Bool": {"aws:SecureTransport": "false"},
                },
                effect="Deny",
            ),
        ),
        "public",
    ),
    Case(
        "deny_positive_operator_does_not_subtract",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            _deny_unless("aws:SourceVpce", "vpce-bad", "StringEquals"),
        ),
        "public",
    ),
    Case(
        "deny_wildcard_negated_value_does_not_subtract",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            _deny_unless("aws:SourceVpce", "vpce-*", "StringNotLike"),
        ),
        "public",
    ),
    Case(
        "deny_unless_own_account_principal",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE), _deny_unless("aws:PrincipalAccount", ME)),
        "account_only",
    ),
    Case(
        "deny_vpce_does_not_touch_service_grant",
        "sqs",
        pol(st(svc("sns"), "sqs:SendMessage", QUEUE), _deny_unless("aws:SourceVpce", "vpce-1")),
        "service_unscoped",
    ),
    Case(
        "deny_aws_star_does_not_certainly_reach_services",
        "sqs",
        pol(st(svc("sns"), "sqs:SendMessage", QUEUE), st({"AWS": "*"}, "*", "*", effect="Deny")),
        "service_unscoped",
    ),
    Case(
        "deny_bare_star_reaches_services",
        "sqs",
        pol(st(svc("sns"), "sqs:SendMessage", QUEUE), st("*", "*", "*", effect="Deny")),
        "account_only",
    ),
    Case(
        "deny_on_web_identity_does_not_cover_everyone",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            st({"Federated": "cognito-identity.amazonaws.com"}, "*", "*", effect="Deny"),
        ),
        "public",
    ),
    Case(
        "deny_on_other_account_leaves_public",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE), st({"AWS": OTHER}, "*", "*", effect="Deny")),
        "public",
    ),
    Case(
        "deny_on_account_removes_its_role",
        "sqs",
        pol(
            st({"AWS": f"arn:aws:iam::{OTHER}:role/r"}, "sqs:SendMessage", QUEUE),
            st({"AWS": OTHER}, "*", "*", effect="Deny"),
        ),
        "account_only",
    ),
    Case(
        "federated_web_identity_is_public",
        "s3",
        pol(st({"Federated": "cognito-identity.amazonaws.com"}, "s3:GetObject", f"{BUCKET}/*")),
        "public",
    ),
    Case(
        "federated_saml_in_other_account",
        "s3",
        pol(
            st(
                {"Federated": f"arn:aws:iam::{OTHER}:saml-provider/corp"},
                "s3:GetObject",
                f"{BUCKET}/*",
            )
        ),
        "cross_account",
    ),
    # --- Cannot judge: never silently safe ----------------------------------------------
    Case(
        "unknown_operator",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringEqualz": {"aws:SourceVpce": "vpce-1"}})),
        "unknown",
    ),
    Case(
        "unknown_operator_own_account_only_narrows",
        "sqs",
        pol(
            st(
                {"AWS": ME},
                "sqs:SendMessage",
                QUEUE,
                {"StringEqualz": {"aws:SourceVpce": "vpce-1"}},
            )
        ),
        "account_only",
    ),
    Case(
        "unknown_beside_public_is_public",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            st("*", "sqs:ReceiveMessage", QUEUE, {"Bogus": {"a:b": "c"}}),
        ),
        "public",
    ),
    Case(
        "unknown_beats_cross_account",
        "sqs",
        pol(
            st({"AWS": OTHER}, "sqs:SendMessage", QUEUE),
            st("*", "sqs:ReceiveMessage", QUEUE, {"Bogus": {"a:b": "c"}}),
        ),
        "unknown",
    ),
    Case(
        "statement_is_a_string",
        "sqs",
        {"Version": "2012-10-17", "Statement": "allow everyone"},
        "unknown",
    ),
    Case(
        "statement_list_holds_a_string",
        "sqs",
        {"Statement": ["oops", st({"AWS": ME}, "sqs:*", QUEUE)]},
        "unknown",
    ),
    Case(
        "action_missing",
        "sqs",
        pol({"Effect": "Allow", "Principal": "*", "Resource": QUEUE}),
        "unknown",
    ),
    Case(
        "principal_missing",
        "sqs",
        pol({"Effect": "Allow", "Action": "sqs:*", "Resource": QUEUE}),
        "unknown",
    ),
    Case(
        "effect_misspelt", "sqs", pol(st({"AWS": OTHER}, "sqs:*", QUEUE, effect="allow")), "unknown"
    ),
    Case(
        # IAM User Guide, Principal element: a deleted role shows as its unique id, and the
        # policy no longer applies to anyone.
        "principal_unique_id_of_deleted_role_matches_no_one",
        "sqs",
        pol(st({"AWS": "AROAEXAMPLEID1234567"}, "sqs:SendMessage", QUEUE)),
        "account_only",
    ),
    Case(
        "principal_unknown_type",
        "sqs",
        pol(st({"Robot": "r2d2"}, "sqs:SendMessage", QUEUE)),
        "unknown",
    ),
    Case(
        "condition_value_is_object",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringEquals": {"aws:SourceVpce": {"x": 1}}})),
        "unknown",
    ),
    Case("document_is_a_list", "sqs", [st("*")], "unknown"),  # type: ignore[arg-type]
    Case("document_is_a_json_string", "sqs", '"hello"', "unknown"),
    Case("no_statement_element", "sqs", {"Version": "2012-10-17"}, "unknown"),
    Case(
        "malformed_deny_is_not_applied",
        "sqs",
        pol(st({"AWS": OTHER}, "sqs:SendMessage", QUEUE), {"Effect": "Deny", "Principal": "*"}),
        "cross_account",
    ),
    Case(
        "deny_with_unknown_operator_not_applied",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            _deny_unless("aws:SourceVpce", "vpce-1", "StringNotEqualz"),
        ),
        "public",
    ),
    # --- Nothing granted outside -------------------------------------------------------
    Case("empty_statement_list", "sqs", pol(), "account_only"),
    Case("only_denies", "sqs", pol(st("*", "*", "*", effect="Deny")), "account_only"),
    Case(
        "statement_object_not_list",
        "generic",
        {"Statement": st({"AWS": ME}, "dynamodb:GetItem", TABLE)},
        "account_only",
    ),
]

# --- To the letter of AWS's documents (issue 15) -----------------------------------------
# Each case below is written from the AWS page docs/policy-judgement.md cites for its rule.

AP_ARN = f"arn:aws:s3:us-east-1:{ME}:accesspoint"
KEY_ARN = f"arn:aws:kms:us-east-1:{ME}:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
DELETED_ROLE = "AROAZ5EXAMPLEROLE0001"
DELETED_USER = "AIDAZ5EXAMPLEUSER0001"
BROAD_V4 = "52.0.0.0/7"
BROAD_V6 = "2600::/16"

# (type, action, resource): one documented grant per resource type, for the IP-range rule.
_EVERY_TYPE = [
    ("lambda", INVOKE, FN),
    ("layer", "lambda:GetLayerVersion", LAYER),
    ("apigateway", "execute-api:Invoke", "execute-api:/*"),
    ("sqs", "sqs:SendMessage", QUEUE),
    ("sns", "sns:Publish", TOPIC),
    ("s3", "s3:GetObject", f"{BUCKET}/*"),
    ("dynamodb", "dynamodb:GetItem", TABLE),
    ("events", "events:PutEvents", BUS),
    ("generic", "kms:Decrypt", "*"),
]


def _ip(rtype: str, action: str, resource: str, value: Any, op: str = "IpAddress") -> Json:
    return pol(st("*", action, resource, {op: {"aws:SourceIp": value}}))


CASES += [
    # S3 User Guide, Block Public Access, "The meaning of public": aws:SourceIp ranges broader
    # than /8 (IPv4) or /32 (IPv6) count as public, RFC 1918 private ranges excepted.
    *(
        Case(
            f"ip_broader_than_slash8_is_public_{rtype}", rtype, _ip(rtype, a, r, BROAD_V4), "public"
        )
        for rtype, a, r in _EVERY_TYPE
    ),
    *(
        Case(
            f"ip_v6_broader_than_slash32_is_public_{rtype}",
            rtype,
            _ip(rtype, a, r, BROAD_V6),
            "public",
        )
        for rtype, a, r in _EVERY_TYPE
    ),
    Case(
        "ip_first_half_of_the_internet_is_public",
        "s3",
        _ip("s3", "s3:GetObject", f"{BUCKET}/*", "0.0.0.0/1"),
        "public",
    ),
    Case(
        "ip_exactly_slash8_is_network_restricted",
        "sqs",
        _ip("sqs", "sqs:SendMessage", QUEUE, "52.0.0.0/8"),
        "network_restricted",
    ),
    Case(
        "ip_v6_exactly_slash32_is_network_restricted",
        "sqs",
        _ip("sqs", "sqs:SendMessage", QUEUE, "2001:db8::/32"),
        "network_restricted",
    ),
    Case(
        "ip_rfc1918_ranges_are_network_restricted",
        "sqs",
        _ip("sqs", "sqs:SendMessage", QUEUE, ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
        "network_restricted",
    ),
    Case(
        "ip_one_broad_value_among_narrow_ones_is_public",
        "sqs",
        _ip("sqs", "sqs:SendMessage", QUEUE, ["203.0.113.0/24", "0.0.0.0/1"]),
        "public",
    ),
    Case(
        "ip_deny_unless_broad_range_is_public",
        "apigateway",
        pol(
            st("*", "execute-api:Invoke", "execute-api:/*"),
            _deny_unless("aws:SourceIp", "0.0.0.0/1", "NotIpAddress")
            | {"Resource": "execute-api:/*"},
        ),
        "public",
    ),
    Case(
        "ip_deny_unless_v6_broad_range_is_public",
        "lambda",
        pol(
            st("*", INVOKE, FN),
            _deny_unless("aws:SourceIp", ["203.0.113.0/24", BROAD_V6], "NotIpAddress"),
        ),
        "public",
    ),
    Case(
        "ip_deny_unless_narrow_range_is_network_restricted",
        "sns",
        pol(
            st("*", "sns:Publish", TOPIC),
            _deny_unless("aws:SourceIp", "198.51.100.0/24", "NotIpAddress"),
        ),
        "network_restricted",
    ),
    # Wildcards in an ARN that has no account field (an S3 bucket): anyone can create a
    # bucket whose name matches and point its notifications here.
    Case(
        "source_arn_any_bucket_with_star_principal_is_public",
        "sns",
        pol(st("*", "sns:Publish", TOPIC, {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}})),
        "public",
    ),
    Case(
        "source_arn_bucket_name_prefix_is_public",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-*"}},
            )
        ),
        "public",
    ),
    Case(
        "source_arn_bucket_name_prefix_string_like_is_public",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"StringLike": {"aws:SourceArn": "arn:aws:s3:::orders-?"}},
            )
        ),
        "public",
    ),
    Case(
        "source_arn_bucket_wildcard_for_service_is_unscoped",
        "lambda",
        pol(st(svc("s3"), INVOKE, FN, {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-*"}})),
        "service_unscoped",
    ),
    Case(
        "source_arn_bucket_wildcard_with_source_account_is_scoped",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {
                    "ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-*"},
                    "StringEquals": {"aws:SourceAccount": ME},
                },
            )
        ),
        "service_scoped",
    ),
    Case(
        "source_arn_fixed_bucket_with_star_principal_is_unscoped",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"ArnLike": {"aws:SourceArn": BUCKET}})),
        "service_unscoped",
    ),
    Case(
        "deny_unless_bucket_wildcard_is_public",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            _deny_unless("aws:SourceArn", "arn:aws:s3:::orders-*", "ArnNotLike"),
        ),
        "public",
    ),
    # S3 User Guide, "The meaning of public" and "Delegating access control to access points".
    Case(
        "s3_delegated_to_own_access_points",
        "s3",
        pol(
            st(
                "*",
                "*",
                [BUCKET, f"{BUCKET}/*"],
                {"StringEquals": {"s3:DataAccessPointAccount": ME}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "s3_delegated_to_another_accounts_access_points",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringEquals": {"s3:DataAccessPointAccount": OTHER}},
            )
        ),
        "cross_account",
    ),
    Case(
        "s3_access_point_arn_any_name_in_own_account",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringLike": {"s3:DataAccessPointArn": f"{AP_ARN}/*"}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "s3_access_point_arn_fixed_name",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"ArnEquals": {"s3:DataAccessPointArn": f"{AP_ARN}/orders-ap"}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "s3_access_point_arn_any_account_is_public",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringLike": {"s3:DataAccessPointArn": "arn:aws:s3:us-east-1:*:accesspoint/*"}},
            )
        ),
        "public",
    ),
    Case(
        "s3_userid_role_sessions_are_not_public",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringLike": {"aws:userid": "AROAZ5EXAMPLELIVE01:*"}},
            )
        ),
        "cross_account",
    ),
    Case(
        "s3_userid_wildcard_id_is_public",
        "s3",
        pol(st("*", "s3:GetObject", f"{BUCKET}/*", {"StringLike": {"aws:userid": "AROA*"}})),
        "public",
    ),
    Case(
        "s3_userid_own_root_is_account_only",
        "s3",
        pol(st("*", "s3:GetObject", f"{BUCKET}/*", {"StringEquals": {"aws:userid": ME}})),
        "account_only",
    ),
    Case(
        "s3_userid_anonymous_is_public",
        "s3",
        pol(st("*", "s3:GetObject", f"{BUCKET}/*", {"StringEquals": {"aws:userid": "anonymous"}})),
        "public",
    ),
    Case(
        "s3_put_only_with_own_kms_key",
        "s3",
        pol(
            st(
                "*",
                "s3:PutObject",
                f"{BUCKET}/*",
                {"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN}},
            )
        ),
        "service_scoped",
    ),
    Case(
        "s3_kms_key_alias_names_no_account_is_public",
        "s3",
        pol(
            st(
                "*",
                "s3:PutObject",
                f"{BUCKET}/*",
                {
                    "StringEquals": {
                        "s3:x-amz-server-side-encryption-aws-kms-key-id": "alias/orders"
                    }
                },
            )
        ),
        "public",
    ),
    Case(
        "s3_kms_key_condition_on_get_never_applies",
        "s3",
        pol(
            st(
                "*",
                ["s3:GetObject", "s3:PutObject"],
                f"{BUCKET}/*",
                {"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN}},
            )
        ),
        "service_scoped",
        groups={"read": "account_only", "write": "service_scoped"},
    ),
    # IAM User Guide, condition operators: StringEquals matches exactly, so "*" is a character.
    Case(
        "string_equals_literal_star_never_applies",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringEquals": {"aws:SourceAccount": "*"}})),
        "account_only",
    ),
    Case(
        "string_equals_org_with_star_never_applies",
        "layer",
        pol(
            st(
                "*",
                "lambda:GetLayerVersion",
                LAYER,
                {"StringEquals": {"aws:PrincipalOrgID": "o-*"}},
            )
        ),
        "account_only",
    ),
    Case(
        "string_equals_source_arn_with_star_never_applies",
        "sqs",
        pol(
            st(
                svc("sns"),
                "sqs:SendMessage",
                QUEUE,
                {"StringEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{ME}:*"}},
            )
        ),
        "account_only",
    ),
    Case(
        "string_equals_star_beside_public_leaves_public",
        "sqs",
        pol(
            st("*", "sqs:SendMessage", QUEUE),
            st("*", "sqs:ReceiveMessage", QUEUE, {"StringEquals": {"aws:SourceVpce": "*"}}),
        ),
        "public",
        groups={"send": "public", "receive": "account_only"},
    ),
    Case(
        "string_equals_star_beside_cross_account_leaves_cross_account",
        "sqs",
        pol(
            st({"AWS": OTHER}, "sqs:SendMessage", QUEUE),
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"StringEqualsIgnoreCase": {"aws:SourceVpce": "vpce-*"}},
            ),
        ),
        "cross_account",
    ),
    Case(
        "string_equals_one_literal_star_among_fixed_values",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"StringEquals": {"aws:SourceVpce": ["vpce-1a2b", "vpce-*"]}},
            )
        ),
        "network_restricted",
    ),
    Case(
        "string_like_star_still_pins_no_one",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringLike": {"aws:SourceVpce": "vpce-*"}})),
        "public",
    ),
    Case(
        "deny_string_not_equals_literal_star_refuses_everyone",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE), _deny_unless("aws:SourceVpce", "vpce-*")),
        "account_only",
    ),
    Case(
        "deny_string_equals_literal_star_never_applies",
        "sqs",
        pol(
            st({"AWS": OTHER}, "sqs:SendMessage", QUEUE),
            _deny_unless("aws:SourceVpce", "*", "StringEquals"),
        ),
        "cross_account",
    ),
    # IAM User Guide, ARN condition operators: each of the six ARN components is compared.
    Case(
        "arn_like_bucket_name_without_arn_never_applies",
        "lambda",
        pol(st(svc("s3"), INVOKE, FN, {"ArnLike": {"aws:SourceArn": "orders-bucket"}})),
        "account_only",
    ),
    Case(
        "arn_equals_account_id_never_applies_beside_cross_account",
        "sqs",
        pol(
            st({"AWS": OTHER}, "sqs:ReceiveMessage", QUEUE),
            st("*", "sqs:SendMessage", QUEUE, {"ArnEquals": {"aws:SourceArn": ME}}),
        ),
        "cross_account",
        groups={"send": "account_only"},
    ),
    Case(
        "arn_like_star_alone_is_still_a_wildcard",
        "sqs",
        pol(st("*", "sqs:SendMessage", QUEUE, {"ArnLike": {"aws:SourceArn": "*"}})),
        "public",
    ),
    # SNS Developer Guide: sns:Endpoint and sns:Protocol are in Subscribe requests only.
    Case(
        "sns_endpoint_on_publish_never_applies",
        "sns",
        pol(st("*", "sns:Publish", TOPIC, {"StringLike": {"sns:Endpoint": "*@example.com"}})),
        "account_only",
    ),
    Case(
        "sns_endpoint_on_subscribe_does_not_limit_who",
        "sns",
        pol(st("*", "sns:Subscribe", TOPIC, {"StringLike": {"sns:Endpoint": "*@example.com"}})),
        "public",
    ),
    Case(
        "sns_protocol_on_publish_and_subscribe",
        "sns",
        pol(
            st(
                "*",
                ["sns:Publish", "sns:Subscribe"],
                TOPIC,
                {"StringEquals": {"sns:Protocol": "https"}},
            )
        ),
        "public",
        groups={"publish": "account_only", "subscribe": "public"},
    ),
    Case(
        "sns_endpoint_if_exists_still_applies_to_publish",
        "sns",
        pol(
            st("*", "sns:Publish", TOPIC, {"StringLikeIfExists": {"sns:Endpoint": "*@example.com"}})
        ),
        "public",
    ),
    # IAM User Guide, Principal element: a deleted user or role shows as its unique id.
    Case(
        "deleted_user_beside_cross_account_keeps_cross_account",
        "sqs",
        pol(st({"AWS": [DELETED_USER, OTHER]}, "sqs:SendMessage", QUEUE)),
        "cross_account",
    ),
    Case(
        "deleted_role_beside_own_role",
        "s3",
        pol(
            st(
                {"AWS": [DELETED_ROLE, f"arn:aws:iam::{ME}:role/app"]},
                "s3:GetObject",
                f"{BUCKET}/*",
            )
        ),
        "account_only",
    ),
    Case(
        "deny_not_principal_deleted_role_refuses_everyone",
        "s3",
        pol(
            st("*", "s3:GetObject", f"{BUCKET}/*"),
            st(action="s3:*", resource="*", not_principal={"AWS": DELETED_ROLE}, effect="Deny"),
        ),
        "account_only",
    ),
    # KMS Developer Guide, kms:CallerAccount: the account of the caller.
    Case(
        "kms_key_policy_caller_account_own",
        "generic",
        pol(
            st(
                {"AWS": "*"},
                ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
                "*",
                {
                    "StringEquals": {
                        "kms:CallerAccount": ME,
                        "kms:ViaService": "s3.us-east-1.amazonaws.com",
                    }
                },
            )
        ),
        "account_only",
    ),
    Case(
        "kms_key_policy_caller_account_other",
        "generic",
        pol(st({"AWS": "*"}, "kms:Decrypt", "*", {"StringEquals": {"kms:CallerAccount": OTHER}})),
        "cross_account",
    ),
    Case(
        "kms_key_policy_caller_account_wildcard_is_public",
        "generic",
        pol(st({"AWS": "*"}, "kms:Decrypt", "*", {"StringLike": {"kms:CallerAccount": "*"}})),
        "public",
    ),
    Case(
        "kms_caller_account_in_a_bucket_policy_never_applies",
        "s3",
        pol(st("*", "s3:GetObject", f"{BUCKET}/*", {"StringEquals": {"kms:CallerAccount": ME}})),
        "account_only",
    ),
]

CASES += [
    # S3 User Guide, "The meaning of public": a fixed value contains no wildcard and no IAM
    # policy variable.
    Case(
        "policy_variable_is_not_a_fixed_value",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringEquals": {"aws:SourceVpce": "${aws:SourceVpce}"}},
            )
        ),
        "public",
    ),
    Case(
        "s3_access_point_name_without_arn_never_applies",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringEquals": {"s3:DataAccessPointArn": "orders-ap"}},
            )
        ),
        "account_only",
    ),
]

CASES += [
    # IAM User Guide, condition operators: a literal "*" matches nothing, but IfExists and
    # ForAllValues are true when the key is missing, so those statements still apply.
    Case(
        "for_any_value_string_equals_literal_star_never_applies",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-*"}},
            )
        ),
        "account_only",
    ),
    Case(
        "if_exists_literal_star_still_applies",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-*"}},
            )
        ),
        "public",
    ),
    Case(
        "for_all_values_literal_star_still_applies",
        "sqs",
        pol(
            st(
                "*",
                "sqs:SendMessage",
                QUEUE,
                {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-*"}},
            )
        ),
        "public",
    ),
    Case(
        "principal_arn_string_equals_with_star_never_applies",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringEquals": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/*"}},
            )
        ),
        "account_only",
    ),
    Case(
        "principal_arn_string_like_with_star_is_cross_account",
        "s3",
        pol(
            st(
                "*",
                "s3:GetObject",
                f"{BUCKET}/*",
                {"StringLike": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/*"}},
            )
        ),
        "cross_account",
    ),
]
