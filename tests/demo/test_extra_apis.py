"""The demo's own answers for the APIs moto lacks, through real boto3 clients on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from wa_review.aws.missing_api import install_missing_api_fast_fail
from wa_review.demo.server import DemoAccount, demo_session, running_demo_account


@pytest.fixture(scope="module")
def account() -> Iterator[DemoAccount]:
    from moto.moto_api._internal.models import moto_api_backend

    # moto's accounts are process-wide: start empty, and leave nothing for the next module.
    moto_api_backend.reset()
    with running_demo_account() as running:
        yield running
    moto_api_backend.reset()


def test_access_analyzer_lists_the_airline_analyzer_and_active_findings(
    account: DemoAccount,
) -> None:
    client = demo_session().client("accessanalyzer", endpoint_url=account.url)
    analyzers = client.list_analyzers()["analyzers"]
    assert [(a["name"], a["type"], a["status"]) for a in analyzers] == [
        ("airline-account-analyzer", "ACCOUNT", "ACTIVE")
    ]
    found = client.list_findings(
        analyzerArn=analyzers[0]["arn"], filter={"status": {"eq": ["ACTIVE"]}}
    )["findings"]
    public = {f["resource"].rsplit(":", 1)[-1] for f in found if f["isPublic"]}
    assert "flight-status" in public and "notify-booking" not in public
    archived = client.list_findings(
        analyzerArn=analyzers[0]["arn"], filter={"status": {"eq": ["ARCHIVED"]}}
    )["findings"]
    assert archived == []


def test_dns_firewall_filters_the_airline_vpc_only(account: DemoAccount) -> None:
    client = demo_session().client("route53resolver", endpoint_url=account.url)
    associations = client.list_firewall_rule_group_associations()["FirewallRuleGroupAssociations"]
    assert [a["VpcId"] for a in associations] == [account.names["airline_vpc_id"]]
    rules = client.list_firewall_rules(FirewallRuleGroupId=associations[0]["FirewallRuleGroupId"])[
        "FirewallRules"
    ]
    assert [r["Action"] for r in rules] == ["ALLOW", "BLOCK", "BLOCK"]
    last = client.list_firewall_domains(FirewallDomainListId=rules[-1]["FirewallDomainListId"])
    assert last["Domains"] == ["*"]


def test_waf_lists_the_resources_the_build_associated(account: DemoAccount) -> None:
    client = demo_session().client("wafv2", endpoint_url=account.url)
    acl = account.names["web_acl_arn"]
    apis = client.list_resources_for_web_acl(WebACLArn=acl, ResourceType="API_GATEWAY")
    assert [arn.rsplit("/", 1)[-1] for arn in apis["ResourceArns"]] == ["prod"]
    graphql = client.list_resources_for_web_acl(WebACLArn=acl, ResourceType="APPSYNC")
    assert graphql["ResourceArns"] == []


def test_a_service_moto_lacks_fails_fast_and_quietly(
    account: DemoAccount, capfd: pytest.CaptureFixture[str]
) -> None:
    """moto would print advice about its urls.py; the reviewer sees an ApiUnavailable error."""
    client = demo_session().client("wellarchitected", endpoint_url=account.url)
    install_missing_api_fast_fail(client)
    with pytest.raises(ClientError) as raised:
        client.list_workloads()
    assert raised.value.response["Error"]["Code"] == "ApiUnavailable"
    out, err = capfd.readouterr()
    assert "urls.py" not in out + err and "appropriate backend" not in out + err
