"""The organization benchmark: python -m bench.org [--accounts 1,10,50] [--functions 20]

For each size it empties moto, creates an organization whose management account is moto's
default one, adds member accounts until the organization has N, fills every account with the
same generated serverless account (bench/generate.py, through a role assumed in it), then runs
`wa-review`'s real collection and checks with `--org-role` in a fresh process, through the quota
proxy (whose buckets are per access key, Region and quota family: per account, as AWS's).

Each run reports wall time against the quota floor of one account (the accounts are alike and
their quotas independent, so that is the least any client could take), peak RSS, and CPU seconds
per API call. Prints one JSON line per size; `--out` also writes them to a file.

Child mode (one measured run): python -m bench.org --child --endpoint URL
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3

from bench.generate import REGION, populate, session
from bench.servers import REFILL_SECONDS, ROOT, moto_server, proxy_stats, quota_proxy, reset_moto

ROLE = "OrganizationAccountAccessRole"
RESULTS = Path(__file__).with_name("RESULTS.md")


def build_organization(endpoint: str, accounts: int, functions: int) -> float:
    """An organization of `accounts` accounts (the management one included), each filled."""
    started = time.perf_counter()
    orgs = session().client("organizations", endpoint_url=endpoint)
    orgs.create_organization(FeatureSet="ALL")
    members = ["123456789012"]
    for n in range(accounts - 1):
        status = orgs.create_account(Email=f"m{n}@example.com", AccountName=f"member-{n}")
        members.append(str(status["CreateAccountStatus"]["AccountId"]))
    sts = session().client("sts", endpoint_url=endpoint)
    for account in members:
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="bench-fill"
        )["Credentials"]
        base = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=REGION,
        )
        populate(endpoint, functions, base=base, prefix=f"{account}-")
    return time.perf_counter() - started


def measure(endpoint: str, *, baseline: str | None = None, direct: bool = False) -> dict[str, Any]:
    """One organization review in this process (the child).

    `baseline` is a source tree of an earlier wa-review (without --org-role): it reviews the
    same accounts through one --role-arn each, to compare with. `direct`: straight to moto
    without the limiter, to tell what moto itself costs from what the quotas cost.
    """
    if baseline:
        sys.path.insert(0, baseline)
    from bench.collect import COLLECTORS
    from bench.floor import quota_floor
    from wa_review.aws.context import AwsContext, AwsOptions
    from wa_review.aws.ratelimit import RateLimits
    from wa_review.aws.run import collect_inventory
    from wa_review.model.inventory import CheckConfig
    from wa_review.pipeline import run_checks

    if baseline:
        orgs = session().client("organizations", endpoint_url=endpoint)
        ids = [
            a["Id"] for p in orgs.get_paginator("list_accounts").paginate() for a in p["Accounts"]
        ]
        arns = tuple(f"arn:aws:iam::{i}:role/{ROLE}" for i in sorted(ids))
        options = AwsOptions(regions=(REGION,), endpoint_url=endpoint, role_arns=arns)
    else:
        limits = RateLimits.off() if direct else None
        options = AwsOptions(
            regions=(REGION,), endpoint_url=endpoint, org_role=ROLE, rate_limits=limits
        )
    # The earlier context builds a boto3 Session per role from the keys it is given.
    ctx = AwsContext(
        options,
        session_factory=lambda **kw: (
            boto3.Session(**kw) if "aws_access_key_id" in kw else session()
        ),
    )
    cpu_before = time.process_time()
    started = time.perf_counter()
    collection = collect_inventory(ctx, collectors=COLLECTORS)
    evidence = run_checks(collection, CheckConfig())
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    calls = sum(collection.calls.values())
    accounts = len(collection.inventories)
    per_account = {k: v / accounts for k, v in collection.calls.items()}
    return {
        "accounts": accounts,
        "wall": wall,
        "floor": quota_floor(per_account),
        "calls": calls,
        "errors": len(collection.errors),
        "error_codes": sorted({f"{e.service}:{e.operation}:{e.code}" for e in collection.errors}),
        "evidence": len(evidence),
        "cpu_seconds": cpu,
        "cpu_ms_per_call": 1000 * cpu / max(1, calls),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_size(
    moto: str, proxy: str, accounts: int, functions: int, *, baseline: str | None = None
) -> dict[str, Any]:
    reset_moto(moto)
    generated = build_organization(moto, accounts, functions)
    result = _child(proxy, None)
    result["moto_alone"] = _child(moto, None, direct=True)["wall"]
    if baseline:
        result["baseline"] = _child(proxy, baseline)
    return {**result, "functions": functions, "generate_seconds": generated}


def _child(proxy: str, baseline: str | None, *, direct: bool = False) -> dict[str, Any]:
    if not direct:
        time.sleep(REFILL_SECONDS)
        proxy_stats(proxy, reset=True)
    extra = ["--baseline", baseline] if baseline else []
    extra += ["--direct"] if direct else []
    done = subprocess.run(
        [sys.executable, "-m", "bench.org", "--child", "--endpoint", proxy, *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"organization run failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if direct:
        return result
    throttled = proxy_stats(proxy)["throttled"]
    return {
        **result,
        "ratio": result["wall"] / result["floor"] if result["floor"] else None,
        "throttled": sum(throttled.values()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", default="1,10,50")
    parser.add_argument("--functions", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.04)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--child", action="store_true")
    parser.add_argument(
        "--render",
        nargs="*",
        type=Path,
        default=None,
        help="only write the RESULTS.md section from these --out files",
    )
    parser.add_argument("--notes", type=Path, default=None, help="Markdown for the section's end")
    parser.add_argument("--endpoint", default="")
    parser.add_argument("--direct", action="store_true", help="child: moto, no limiter")
    parser.add_argument(
        "--baseline", default=None, help="source tree of an earlier wa-review to compare with"
    )
    args = parser.parse_args(argv)
    if args.render is not None:
        from bench.org_results import render_section, replace_section

        runs = [run for path in args.render for run in json.loads(path.read_text())]
        notes = args.notes.read_text() if args.notes else ""
        replace_section(RESULTS, render_section(runs, notes=notes))
        return
    if args.child:
        sys.stdout.write(
            json.dumps(measure(args.endpoint, baseline=args.baseline, direct=args.direct)) + "\n"
        )
        return
    results = []
    with moto_server() as moto, quota_proxy(moto, latency=args.latency) as proxy:
        for size in (int(n) for n in args.accounts.split(",")):
            results.append(run_size(moto, proxy, size, args.functions, baseline=args.baseline))
            sys.stdout.write(json.dumps(results[-1]) + "\n")
            sys.stdout.flush()
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
