"""What one more account costs in clients: a boto3 Session per account, or sessions sharing
one model loader (what wa-review's assumed roles do). No network: clients are only built.

Run: python -m bench.session_models [--accounts 10]
Prints peak RSS and CPU seconds for each way.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import boto3
import botocore.session
from botocore.credentials import CredentialResolver, Credentials

from wa_review.aws.assumed import _Fixed

# The services a review builds clients for in each account.
SERVICES = [
    "lambda",
    "apigateway",
    "apigatewayv2",
    "ec2",
    "iam",
    "sqs",
    "sns",
    "dynamodb",
    "dynamodbstreams",
    "events",
    "s3",
    "s3control",
    "wafv2",
    "appsync",
    "network-firewall",
    "route53resolver",
    "organizations",
    "accessanalyzer",
    "sts",
]
ENDPOINT = "http://127.0.0.1:9"  # never called


def build(way: str, accounts: int) -> dict[str, float]:
    base = boto3.Session(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    loader = base._session.get_component("data_loader")
    started = time.process_time()
    kept = []
    for n in range(accounts):
        if way == "session":
            own = boto3.Session(
                aws_access_key_id=f"k{n}", aws_secret_access_key="s", region_name="us-east-1"
            )
            kept.append([own.client(s, endpoint_url=ENDPOINT) for s in SERVICES])
        else:
            core = botocore.session.Session()
            core.register_component("data_loader", loader)
            creds = CredentialResolver([_Fixed(Credentials(f"k{n}", "s"))])  # type: ignore[arg-type]
            core.register_component("credential_provider", creds)
            kept.append(
                [
                    core.create_client(s, region_name="us-east-1", endpoint_url=ENDPOINT)
                    for s in SERVICES
                ]
            )
    return {
        "cpu_seconds": time.process_time() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--way", choices=("session", "shared"), default=None)
    args = parser.parse_args(argv)
    if args.way:
        sys.stdout.write(json.dumps(build(args.way, args.accounts)) + "\n")
        return
    for way in ("session", "shared"):
        for count in (1, args.accounts):
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.session_models",
                    "--way",
                    way,
                    "--accounts",
                    str(count),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            sys.stdout.write(f"{way} {count}: {done.stdout.strip()}\n")


if __name__ == "__main__":
    main()
