"""Populate a moto server with a serverless account of a given size, through plain boto3.

This builds test data, so it writes: it talks to moto directly (never through the proxy
or wa-review's read-only context). For N functions it creates, in proportion:

| per 100 functions | what |
|---|---|
| 10 | execution roles (inline policy each) |
| 20 | functions with an alias `live` (a published version) |
| 50 | functions with a resource policy (API Gateway with SourceArn; 1 in 10 public) |
| 5 | function URLs (AuthType NONE and AWS_IAM alternating) |
| 30 | functions in a VPC (2 subnets, 1 security group) |
| 20 | SQS queues (half with a policy), 20 SNS topics (half with a policy) |
| 10 | DynamoDB tables (half with a stream) |
| 5 | REST APIs (3 resources, GET+POST each, a stage); 2 HTTP APIs (3 routes) |
| 2 | VPCs (min 2) with 2 subnets, a route table and an internet gateway; 5 security groups |
| 5 | S3 buckets (half with a policy); 2 event buses |
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config

from bench.sizes import AccountSize

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def session() -> Any:
    return boto3.Session(
        region_name=REGION,
        aws_access_key_id="bench",
        aws_secret_access_key="bench-secret",
        aws_session_token="bench-token",
    )


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def _policy(statement: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class Generator:
    """Creates the account; every resource name carries its index, so runs are repeatable."""

    def __init__(
        self,
        endpoint: str,
        size: AccountSize,
        *,
        workers: int = 4,
        base: Any = None,
        prefix: str = "",
    ) -> None:
        config = Config(retries={"total_max_attempts": 1}, max_pool_connections=workers * 2)
        base = base or session()
        self.prefix = prefix
        self.size = size
        self.workers = workers
        self.clients = {
            name: base.client(name, endpoint_url=endpoint, config=config)
            for name in (
                "iam",
                "lambda",
                "ec2",
                "sqs",
                "sns",
                "dynamodb",
                "apigateway",
                "apigatewayv2",
                "s3",
                "events",
            )
        }

    def _each(self, fn: Callable[[int], Any], count: int) -> list[Any]:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(fn, range(count)))

    def run(self) -> dict[str, int]:
        roles = self._each(self._role, self.size.roles)
        subnets, groups = self._network()
        code = _zip()
        self._each(lambda i: self._function(i, roles, subnets, groups, code), self.size.functions)
        self._each(self._queue, self.size.queues)
        self._each(self._topic, self.size.topics)
        self._each(self._table, self.size.tables)
        self._each(self._rest_api, self.size.rest_apis)
        self._each(self._http_api, self.size.http_apis)
        self._each(self._bucket, self.size.buckets)
        self._each(self._bus, self.size.buses)
        return self.size.describe()

    # -- IAM, network -------------------------------------------------------------------------

    def _role(self, i: int) -> str:
        iam = self.clients["iam"]
        name = f"bench-role-{i:04d}"
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"][
            "Arn"
        ]
        statement = {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "*"}
        iam.put_role_policy(RoleName=name, PolicyName="data", PolicyDocument=_policy(statement))
        return str(arn)

    def _network(self) -> tuple[list[str], list[str]]:
        ec2 = self.clients["ec2"]
        subnets: list[str] = []
        groups: list[str] = []
        for v in range(self.size.vpcs):
            vpc = ec2.create_vpc(CidrBlock=f"10.{v % 250}.0.0/16")["Vpc"]["VpcId"]
            table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            if v % 2 == 0:  # half the VPCs reach the internet directly
                igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
                ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
                ec2.create_route(
                    RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw
                )
            for s in range(2):
                subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{v % 250}.{s}.0/24")
                subnet_id = subnet["Subnet"]["SubnetId"]
                ec2.associate_route_table(RouteTableId=table, SubnetId=subnet_id)
                subnets.append(subnet_id)
        for g in range(self.size.security_groups):
            vpc_subnet = subnets[(2 * g) % len(subnets)]
            vpc = ec2.describe_subnets(SubnetIds=[vpc_subnet])["Subnets"][0]["VpcId"]
            group = ec2.create_security_group(
                GroupName=f"bench-sg-{g:04d}", Description="bench", VpcId=vpc
            )["GroupId"]
            groups.append(group)
        return subnets, groups

    # -- Lambda -------------------------------------------------------------------------------

    def _function(
        self, i: int, roles: list[str], subnets: list[str], groups: list[str], code: bytes
    ) -> None:
        lam = self.clients["lambda"]
        name = f"bench-fn-{i:05d}"
        extra: dict[str, Any] = {}
        if i % 10 < 3:  # 30 in 100 in a VPC: two subnets of one VPC, a group
            first = (2 * i) % len(subnets) // 2 * 2
            extra["VpcConfig"] = {
                "SubnetIds": subnets[first : first + 2],
                "SecurityGroupIds": [groups[i % len(groups)]],
            }
        lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=roles[i % len(roles)],
            Handler="index.handler",
            Code={"ZipFile": code},
            Environment={"Variables": {"TABLE": f"bench-table-{i % 10}", "STAGE": "prod"}},
            **extra,
        )
        if i % 5 == 0:  # 20 in 100 have an alias
            version = lam.publish_version(FunctionName=name)["Version"]
            lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
        if i % 2 == 0:  # 50 in 100 have a policy; 1 in 10 of those is public
            public = i % 20 == 0
            lam.add_permission(
                FunctionName=name,
                StatementId="invoke",
                Action="lambda:InvokeFunction",
                Principal="*" if public else "apigateway.amazonaws.com",
                **(
                    {}
                    if public
                    else {"SourceArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:api{i}/prod/GET/x"}
                ),
            )
        if i % 20 == 1:  # 5 in 100 have a URL
            auth = "NONE" if i % 40 == 1 else "AWS_IAM"
            lam.create_function_url_config(FunctionName=name, AuthType=auth)

    # -- messaging, data ---------------------------------------------------------------------

    def _queue(self, i: int) -> None:
        sqs = self.clients["sqs"]
        url = sqs.create_queue(QueueName=f"bench-queue-{i:04d}")["QueueUrl"]
        if i % 2 == 0:
            arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:bench-queue-{i:04d}"
            statement = {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:t"}},
            }
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": _policy(statement)})

    def _topic(self, i: int) -> None:
        sns = self.clients["sns"]
        arn = sns.create_topic(Name=f"bench-topic-{i:04d}")["TopicArn"]
        if i % 2 == 0:
            statement = {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sns:Publish",
                "Resource": arn,
            }
            sns.set_topic_attributes(
                TopicArn=arn, AttributeName="Policy", AttributeValue=_policy(statement)
            )

    def _table(self, i: int) -> None:
        extra: dict[str, Any] = {}
        if i % 2 == 0:
            extra["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
        self.clients["dynamodb"].create_table(
            TableName=f"bench-table-{i:04d}",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            **extra,
        )

    # -- APIs ----------------------------------------------------------------------------------

    def _rest_api(self, i: int) -> None:
        apigw = self.clients["apigateway"]
        api = apigw.create_rest_api(name=f"bench-rest-{i:04d}")["id"]
        root = next(
            r["id"] for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/"
        )
        for r in range(3):
            resource = apigw.create_resource(restApiId=api, parentId=root, pathPart=f"r{r}")["id"]
            for verb in ("GET", "POST"):
                auth = "NONE" if (i + r) % 3 == 0 and verb == "GET" else "AWS_IAM"
                apigw.put_method(
                    restApiId=api, resourceId=resource, httpMethod=verb, authorizationType=auth
                )
                apigw.put_integration(
                    restApiId=api, resourceId=resource, httpMethod=verb, type="MOCK"
                )
        apigw.create_deployment(restApiId=api, stageName="prod")

    def _http_api(self, i: int) -> None:
        v2 = self.clients["apigatewayv2"]
        api = v2.create_api(Name=f"bench-http-{i:04d}", ProtocolType="HTTP")["ApiId"]
        for r in range(3):
            auth = "NONE" if r == 0 else "AWS_IAM"
            v2.create_route(ApiId=api, RouteKey=f"GET /r{r}", AuthorizationType=auth)

    def _bucket(self, i: int) -> None:
        s3 = self.clients["s3"]
        # Bucket names are global: members of an organization each get their own.
        name = f"bench-bucket-{self.prefix}{i:04d}"
        s3.create_bucket(Bucket=name)
        if i % 2 == 0:
            statement = {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
            s3.put_bucket_policy(Bucket=name, Policy=_policy(statement))

    def _bus(self, i: int) -> None:
        self.clients["events"].create_event_bus(Name=f"bench-bus-{i:04d}")


def populate(
    endpoint: str, functions: int, *, workers: int = 4, base: Any = None, prefix: str = ""
) -> dict[str, int]:
    """Create an account of `functions` functions (and the rest in proportion) in moto;
    `base` is a session in another account (an organization's member), `prefix` keeps its
    bucket names (global in S3) apart."""
    size = AccountSize(functions)
    return Generator(endpoint, size, workers=workers, base=base, prefix=prefix).run()
