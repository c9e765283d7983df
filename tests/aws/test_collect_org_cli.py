"""`wa-review collect --org-role` end to end: a real process against a moto server."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from tests.aws.test_collect_cli import _env, _run

pytestmark = pytest.mark.server


def test_collect_reviews_the_organization_and_says_what_it_skipped(
    moto_url: str, tmp_path: Path
) -> None:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    orgs = session.client("organizations", endpoint_url=moto_url)
    orgs.create_organization(FeatureSet="ALL")
    created = [
        orgs.create_account(Email=f"{n}@example.com", AccountName=n)["CreateAccountStatus"]
        for n in ("dev", "prod", "gone")
    ]
    dev, prod, gone = (str(c["AccountId"]) for c in created)
    orgs.close_account(AccountId=gone)
    out = tmp_path / "org.json"
    done = _run(
        ["collect", "--org-role", "Audit", "--exclude-account", prod, "-o", str(out)],
        _env(moto_url),
    )
    assert done.returncode == 0, done.stderr
    assert f"skipped, not active: {gone} (suspended)" in done.stderr
    assert f"excluded: {prod}" in done.stderr
    assert "Collecting from account(s) " in done.stderr and " in us-east-1" in done.stderr
    for account in ("123456789012", dev):  # a summary line per account as it ends
        assert f"account {account}: done" in done.stderr
    data = json.loads(out.read_text())
    assert sorted(data["accounts"]) == sorted(["123456789012", dev])
    org = data["scope"]["organization"]
    assert org["suspended"] == [gone] and org["excluded"] == [prod]
    assert {e["account"] for e in data["evidence"]} == {"123456789012", dev}
