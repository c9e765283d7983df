"""The airline's front doors: the booking REST API (WAF on prod only), a private loyalty API,
a partner webhook HTTP API without auth, and a GraphQL API without WAF."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from wa_review.demo.network import REGION, Network

ACCOUNT = "123456789012"
_VIS = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True}


def build_apis(client: Callable[[str], Any], net: Network) -> dict[str, str]:
    apigw = client("apigateway")
    booking = apigw.create_rest_api(
        name="booking-api", endpointConfiguration={"types": ["REGIONAL"]}
    )["id"]
    root = apigw.get_resources(restApiId=booking)["items"][0]["id"]
    bookings = apigw.create_resource(restApiId=booking, parentId=root, pathPart="bookings")["id"]
    pool = client("cognito-idp").create_user_pool(PoolName="airline-customers")["UserPool"]["Arn"]
    authorizer = apigw.create_authorizer(
        restApiId=booking,
        name="customers",
        type="COGNITO_USER_POOLS",
        providerARNs=[pool],
        identitySource="method.request.header.Authorization",
    )["id"]
    apigw.put_method(
        restApiId=booking,
        resourceId=bookings,
        httpMethod="POST",
        authorizationType="COGNITO_USER_POOLS",
        authorizerId=authorizer,
    )
    # The GET was left open "for the mobile team's testing".
    apigw.put_method(
        restApiId=booking, resourceId=bookings, httpMethod="GET", authorizationType="NONE"
    )
    for method in ("POST", "GET"):
        apigw.put_integration(
            restApiId=booking, resourceId=bookings, httpMethod=method, type="MOCK"
        )
    for stage in ("prod", "dev"):
        apigw.create_deployment(restApiId=booking, stageName=stage)

    # The loyalty API is private: reachable only through the VPC endpoint (the Deny-unless form).
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"StringNotEquals": {"aws:SourceVpce": net.api_endpoint}},
            },
        ],
    }
    loyalty = apigw.create_rest_api(
        name="loyalty-internal",
        endpointConfiguration={"types": ["PRIVATE"], "vpcEndpointIds": [net.api_endpoint]},
        policy=json.dumps(policy),
    )["id"]
    lroot = apigw.get_resources(restApiId=loyalty)["items"][0]["id"]
    points = apigw.create_resource(restApiId=loyalty, parentId=lroot, pathPart="points")["id"]
    apigw.put_method(
        restApiId=loyalty, resourceId=points, httpMethod="GET", authorizationType="AWS_IAM"
    )
    apigw.put_integration(restApiId=loyalty, resourceId=points, httpMethod="GET", type="MOCK")
    apigw.create_deployment(restApiId=loyalty, stageName="v1")

    acl_arn = _web_acl(client)
    client("wafv2").associate_web_acl(
        WebACLArn=acl_arn,
        ResourceArn=f"arn:aws:apigateway:{REGION}::/restapis/{booking}/stages/prod",
    )

    v2 = client("apigatewayv2")
    hooks = v2.create_api(Name="partner-webhooks", ProtocolType="HTTP")["ApiId"]
    v2.create_route(ApiId=hooks, RouteKey="POST /webhooks/fares", AuthorizationType="NONE")

    client("appsync").create_graphql_api(name="loyalty-graphql", authenticationType="API_KEY")
    return {"booking_api_id": booking, "loyalty_api_id": loyalty, "web_acl_arn": acl_arn}


def _web_acl(client: Callable[[str], Any]) -> str:
    waf, logs = client("wafv2"), client("logs")

    def managed(name: str, priority: int) -> dict[str, Any]:
        return {
            "Name": name,
            "Priority": priority,
            "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}},
            "OverrideAction": {"None": {}},
            "VisibilityConfig": {**_VIS, "MetricName": name},
        }

    acl = waf.create_web_acl(
        Name="airline-api-acl",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={**_VIS, "MetricName": "airline-api-acl"},
        Rules=[
            managed("AWSManagedRulesCommonRuleSet", 1),
            managed("AWSManagedRulesSQLiRuleSet", 2),
            {
                "Name": "per-ip-rate",
                "Priority": 3,
                "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}},
                "Action": {"Block": {}},
                "VisibilityConfig": {**_VIS, "MetricName": "per-ip-rate"},
            },
        ],
    )["Summary"]["ARN"]
    group = logs.create_log_group(logGroupName="aws-waf-logs-airline")
    del group
    waf.put_logging_configuration(
        LoggingConfiguration={
            "ResourceArn": acl,
            "LogDestinationConfigs": [
                f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:aws-waf-logs-airline"
            ],
        }
    )
    return str(acl)
