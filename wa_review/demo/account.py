"""Builds the sample account: the serverless airline, told through its good and bad choices.

The story: the booking team followed the guidance (scoped permissions, private subnets, WAF on
prod, one role per function); the payments team moved fast (a shared, wildcard role, static keys,
a function in a public subnet); a few shortcuts elsewhere (a public layer, an open function URL,
a partner topic anyone can subscribe to, an old bucket still public through its ACL). Every
SEC2 practice gets passing and failing evidence.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from wa_review.demo.apis import build_apis
from wa_review.demo.data import build_data_stores
from wa_review.demo.network import REGION, build_network

ACCOUNT = "123456789012"  # the emulator's account
PARTNER_ACCOUNT = "444455556666"
ClientFactory = Callable[[str], Any]

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return {'ok': True}\n")
    return buffer.getvalue()


ROLES: dict[str, str] = {
    # One narrow role per function: the booking team's habit.
    "booking-role": _doc(
        {
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem", "dynamodb:GetItem"],
            "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/bookings",
        },
        {
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": f"arn:aws:sqs:{REGION}:{ACCOUNT}:booking-events",
        },
    ),
    "loyalty-role": _doc(
        {
            "Effect": "Allow",
            "Action": "dynamodb:UpdateItem",
            "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/loyalty-points",
        }
    ),
    # The payments team shares one broad role between two functions.
    "payments-shared-role": _doc(
        {
            "Effect": "Allow",
            "Action": [
                "dynamodb:*",
                "sqs:*",
                "sns:Publish",
                "events:PutEvents",
                "s3:GetObject",
                "kms:Decrypt",
                "secretsmanager:GetSecretValue",
            ],
            "Resource": "*",
        }
    ),
    # Publishing to any topic in any account: a write on Resource "*".
    "notify-role": _doc({"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}),
    "flight-status-role": _doc(
        {
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/flights",
        }
    ),
    "receipts-role": _doc(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::airline-receipts-123456789012/*",
        }
    ),
}


def build_account(client: ClientFactory) -> dict[str, str]:
    """Create the whole sample account through `client(service)`; returns a few names for tests."""
    iam, lam = client("iam"), client("lambda")
    role_arns: dict[str, str] = {}
    for name, policy in ROLES.items():
        role_arns[name] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"][
            "Arn"
        ]
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-policy", PolicyDocument=policy)
    net = build_network(client("ec2"), client("logs"))
    code = _code()

    def function(name: str, role: str, **extra: Any) -> str:
        return str(
            lam.create_function(
                FunctionName=name,
                Runtime="python3.12",
                Role=role_arns[role],
                Handler="index.handler",
                Code={"ZipFile": code},
                Tags={"app": "airline"},
                **extra,
            )["FunctionArn"]
        )

    private_vpc = {"SubnetIds": list(net.private_subnets), "SecurityGroupIds": [net.app_sg]}
    function("booking-api", "booking-role", VpcConfig=private_vpc)
    function("ingest-loyalty", "loyalty-role")
    function(
        "collect-payment",
        "payments-shared-role",
        VpcConfig=private_vpc,
        # A long-term partner key pasted into the environment (the values are fake).
        Environment={
            "Variables": {
                "PARTNER_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
                "PARTNER_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "TABLE": "payments",
            }
        },
    )
    function(
        "refund-payment",
        "payments-shared-role",
        VpcConfig={"SubnetIds": [net.legacy_subnet], "SecurityGroupIds": [net.legacy_sg]},
    )
    function("notify-booking", "notify-role")
    function("flight-status", "flight-status-role")
    function("loyalty-admin", "loyalty-role")
    function("render-receipt", "receipts-role")

    names = build_apis(client, net)
    stores = build_data_stores(client, org_id=_organization(client))
    _permissions(lam, names, stores)
    _layers(lam, code, stores["org_id"])
    return {
        **names,
        **stores,
        "private_api_endpoint": net.api_endpoint,
        "airline_vpc_id": net.vpc_id,
    }


def _permissions(lam: Any, names: dict[str, str], stores: dict[str, str]) -> None:
    api = names["booking_api_id"]
    lam.add_permission(
        FunctionName="booking-api",
        StatementId="booking-api-post",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/prod/POST/bookings",
    )
    lam.add_permission(
        FunctionName="ingest-loyalty",
        StatementId="loyalty-topic",
        Action="lambda:InvokeFunction",
        Principal="sns.amazonaws.com",
        SourceArn=stores["loyalty_topic_arn"],
    )
    # Added from the console in a hurry: any API Gateway API, in any account, may invoke.
    lam.add_permission(
        FunctionName="collect-payment",
        StatementId="apigw",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
    )
    lam.add_permission(
        FunctionName="notify-booking",
        StatementId="booking-rule",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=f"arn:aws:events:{REGION}:{ACCOUNT}:rule/booking-confirmed",
    )
    lam.add_permission(
        FunctionName="notify-booking",
        StatementId="partner-notify",
        Action="lambda:InvokeFunction",
        Principal=PARTNER_ACCOUNT,
    )
    # S3 may invoke for any bucket of any account: the confused deputy.
    lam.add_permission(
        FunctionName="render-receipt",
        StatementId="receipts-bucket",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
    )
    lam.create_function_url_config(FunctionName="flight-status", AuthType="NONE")
    lam.add_permission(
        FunctionName="flight-status",
        StatementId="public-url",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )
    lam.create_function_url_config(FunctionName="loyalty-admin", AuthType="AWS_IAM")


def _layers(lam: Any, code: bytes, org_id: str) -> None:
    for name in ("airline-common", "pdf-render"):
        lam.publish_layer_version(
            LayerName=name, Content={"ZipFile": code}, CompatibleRuntimes=["python3.12"]
        )
    lam.add_layer_version_permission(
        LayerName="airline-common",
        VersionNumber=1,
        StatementId="org",
        Action="lambda:GetLayerVersion",
        Principal="*",
        OrganizationId=org_id,
    )
    lam.add_layer_version_permission(
        LayerName="pdf-render",
        VersionNumber=1,
        StatementId="everyone",
        Action="lambda:GetLayerVersion",
        Principal="*",
    )


def _organization(client: ClientFactory) -> str:
    org = client("organizations")
    org_id = str(org.create_organization(FeatureSet="ALL")["Organization"]["Id"])
    root = org.list_roots()["Roots"][0]["Id"]
    scp = org.create_policy(
        Name="require-lambda-in-vpc",
        Description="Functions must be attached to an approved VPC",
        Type="SERVICE_CONTROL_POLICY",
        Content=_doc(
            {
                "Sid": "DenyFunctionsOutsideVpc",
                "Effect": "Deny",
                "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"],
                "Resource": "*",
                "Condition": {"Null": {"lambda:VpcIds": "true"}},
            }
        ),
    )["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=scp, TargetId=root)
    return org_id
