"""The airline's queues, topics, tables, buses and buckets, with their resource policies."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from wa_review.demo.network import REGION

ACCOUNT = "123456789012"


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def build_data_stores(client: Callable[[str], Any], *, org_id: str) -> dict[str, str]:
    sns, sqs = client("sns"), client("sqs")
    loyalty_topic = sns.create_topic(Name="loyalty-events")["TopicArn"]
    partner_topic = sns.create_topic(Name="partner-fare-feed")["TopicArn"]
    # Anyone may subscribe to the partner feed: a shortcut for a partner onboarding.
    sns.set_topic_attributes(
        TopicArn=partner_topic,
        AttributeName="Policy",
        AttributeValue=_doc(
            {
                "Sid": "AnyoneSubscribes",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "sns:Subscribe",
                "Resource": partner_topic,
            }
        ),
    )
    queue = sqs.create_queue(QueueName="booking-events")["QueueUrl"]
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:booking-events"
    # The SNS fan-out pattern: only our topic may send.
    sqs.set_queue_attributes(
        QueueUrl=queue,
        Attributes={
            "Policy": _doc(
                {
                    "Sid": "FromLoyaltyTopic",
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": loyalty_topic}},
                }
            )
        },
    )
    dlq = sqs.create_queue(QueueName="payments-dlq")["QueueUrl"]
    sqs.set_queue_attributes(
        QueueUrl=dlq,
        Attributes={
            "Policy": _doc(
                {
                    "Sid": "Anyone",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "sqs:SendMessage",
                    "Resource": f"arn:aws:sqs:{REGION}:{ACCOUNT}:payments-dlq",
                }
            )
        },
    )

    ddb = client("dynamodb")
    for table in ("bookings", "loyalty-points", "fare-cache"):
        ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    bookings_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/bookings"
    ddb.put_resource_policy(
        ResourceArn=bookings_arn,
        Policy=_doc(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/booking-role"},
                "Action": ["dynamodb:PutItem", "dynamodb:GetItem"],
                "Resource": bookings_arn,
            }
        ),
    )
    cache_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/fare-cache"
    ddb.put_resource_policy(
        ResourceArn=cache_arn,
        Policy=_doc(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "dynamodb:GetItem",
                "Resource": cache_arn,
            }
        ),
    )

    events = client("events")
    events.create_event_bus(Name="airline-events")
    events.put_permission(
        EventBusName="airline-events",
        Policy=_doc(
            {
                "Sid": "OrgAccounts",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "events:PutEvents",
                "Resource": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/airline-events",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": org_id}},
            }
        ),
    )
    events.create_event_bus(Name="partner-bus")
    events.put_permission(
        EventBusName="partner-bus", Action="events:PutEvents", Principal="*", StatementId="anyone"
    )

    s3 = client("s3")
    frontend, receipts = f"airline-frontend-{ACCOUNT}", f"airline-receipts-{ACCOUNT}"
    s3.create_bucket(Bucket=frontend)
    # Receipts were set up recently: ACLs disabled, as AWS does for every new bucket today.
    s3.create_bucket(Bucket=receipts, ObjectOwnership="BucketOwnerEnforced")
    # The press kit dates from before Block Public Access: its public-read ACL was never removed.
    press_kit = f"airline-press-kit-{ACCOUNT}"
    s3.create_bucket(Bucket=press_kit)
    s3.put_bucket_acl(Bucket=press_kit, ACL="public-read")
    s3.put_bucket_policy(
        Bucket=frontend,
        Policy=_doc(
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{frontend}/*",
            }
        ),
    )
    s3.put_public_access_block(
        Bucket=receipts,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    return {"loyalty_topic_arn": loyalty_topic, "org_id": org_id}
