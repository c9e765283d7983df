"""One collector per service; `ALL_COLLECTORS` is the order they are offered to the runner."""

from __future__ import annotations

from wa_review.aws.collectors.accessanalyzer import AccessAnalyzerCollector
from wa_review.aws.collectors.apigateway import ApiGatewayCollector
from wa_review.aws.collectors.appsync import AppSyncCollector
from wa_review.aws.collectors.base import Collector, CollectorClass
from wa_review.aws.collectors.dns_firewall import DnsFirewallCollector
from wa_review.aws.collectors.dynamodb import DynamoDbCollector
from wa_review.aws.collectors.ec2 import Ec2Collector
from wa_review.aws.collectors.events import EventsCollector
from wa_review.aws.collectors.iam import IamCollector
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.collectors.network_firewall import NetworkFirewallCollector
from wa_review.aws.collectors.organizations import OrganizationsCollector
from wa_review.aws.collectors.s3 import S3Collector
from wa_review.aws.collectors.sns import SnsCollector
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.collectors.wafv2 import WafV2Collector

# Slow, per-resource-heavy services first, so they start while the quick ones run.
ALL_COLLECTORS: tuple[CollectorClass, ...] = (
    LambdaCollector,
    ApiGatewayCollector,
    Ec2Collector,
    IamCollector,
    SqsCollector,
    SnsCollector,
    DynamoDbCollector,
    EventsCollector,
    S3Collector,
    WafV2Collector,
    AppSyncCollector,
    NetworkFirewallCollector,
    DnsFirewallCollector,
    OrganizationsCollector,
    AccessAnalyzerCollector,
)

__all__ = ["ALL_COLLECTORS", "Collector", "CollectorClass"]
