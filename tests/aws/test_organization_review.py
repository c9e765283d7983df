"""Reviews that span an organization: discovery, assumed roles, refusals, refresh, trust."""

from __future__ import annotations

import importlib
import json
import pkgutil
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from tests.aws.faults import RawBody
from tests.conftest import REGION, make_context
from wa_review.aws.collectors import ALL_COLLECTORS, Collector
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.context import AwsContext
from wa_review.aws.run import CollectState, Progress, collect_inventory
from wa_review.cli import main
from wa_review.model.evidence import Status
from wa_review.model.inventory import CheckConfig
from wa_review.model.snapshots.sqs import SqsSnapshot
from wa_review.pipeline import build_evidence_file, run_checks

ROLE = "OrganizationAccountAccessRole"


class Org:
    """An organization in moto: the caller (123456789012) is its management account."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.orgs = session.client("organizations")
        self.id = self.orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
        self.root = self.orgs.list_roots()["Roots"][0]["Id"]

    def unit(self, name: str, parent: str | None = None) -> str:
        unit = self.orgs.create_organizational_unit(ParentId=parent or self.root, Name=name)
        return str(unit["OrganizationalUnit"]["Id"])

    def account(self, name: str, unit: str | None = None) -> str:
        status = self.orgs.create_account(Email=f"{name}@example.com", AccountName=name)
        account = str(status["CreateAccountStatus"]["AccountId"])
        if unit is not None:
            self.orgs.move_account(
                AccountId=account, SourceParentId=self.root, DestinationParentId=unit
            )
        return account

    def as_account(self, account: str) -> Any:
        """A plain boto3 session in `account` (moto puts what it creates there)."""
        creds = self.session.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="fixture"
        )["Credentials"]
        return boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=REGION,
        )


@pytest.fixture
def org(moto: Any) -> Iterator[Org]:
    yield Org(moto)


def _context(session: Any, **options: Any) -> AwsContext:
    return make_context(session, org_role=ROLE, **options)


def _refuse_assume_role(account: str) -> Any:
    """STS's answer when the role does not exist or does not trust the caller (query protocol)."""

    def handler(request: Any, event_name: str = "", **_: Any) -> AWSResponse | None:
        body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
        if ".sts." not in event_name or "AssumeRole" not in body or f"%3A{account}%3A" not in body:
            return None
        error = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
            f"<Message>User is not authorized to perform: sts:AssumeRole on {account}</Message>"
            "</Error><RequestId>1</RequestId></ErrorResponse>"
        ).encode()
        return AWSResponse(request.url, 403, {"Content-Type": "text/xml"}, RawBody(error))

    return handler


def test_every_active_account_is_reviewed_and_suspended_ones_are_listed(org: Org) -> None:
    dev, prod = org.account("dev"), org.account("prod")
    closed = org.account("closed")
    org.orgs.close_account(AccountId=closed)
    ctx = _context(org.session)
    reviewed = {a.account for a in ctx.accounts()}
    assert reviewed == {"123456789012", dev, prod}  # the management account is a member too
    # ... reviewed with the caller's own credentials (its role is often missing there).
    assert next(a for a in ctx.accounts() if a.account == "123456789012").session is (
        ctx.base_session()
    )
    assert ctx.organization is not None
    assert [a.id for a in ctx.organization.suspended] == [closed]
    assert closed in ctx.organization.members


def test_ou_selection_includes_nested_units_and_exclusions_apply(org: Org) -> None:
    workloads = org.unit("workloads")
    nested = org.unit("prod", parent=workloads)
    a, b = org.account("a", workloads), org.account("b", nested)
    org.account("elsewhere")
    ctx = _context(org.session, org_units=(workloads,))
    assert {x.account for x in ctx.accounts()} == {a, b}
    ctx = _context(org.session, org_units=(workloads,), exclude_accounts=(b,))
    assert [x.account for x in ctx.accounts()] == [a]


def test_shards_split_the_accounts_without_overlap(org: Org) -> None:
    for n in range(5):
        org.account(f"acct{n}")
    shards = [
        {a.account for a in _context(org.session, accounts_shard=(k, 3)).accounts()}
        for k in (1, 2, 3)
    ]
    everyone = {a.account for a in _context(org.session).accounts()}
    assert set().union(*shards) == everyone
    assert sum(len(s) for s in shards) == len(everyone) == 6


def test_each_account_is_read_through_its_own_assumed_role(org: Org) -> None:
    dev, prod = org.account("dev"), org.account("prod")
    org.as_account(dev).client("sqs").create_queue(QueueName="dev-queue")
    org.as_account(prod).client("sqs").create_queue(QueueName="prod-queue")
    ctx = _context(org.session)
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    queues = {}
    for inventory in collection.inventories:
        snap = inventory.get(REGION, SqsSnapshot)
        assert snap is not None and snap.listing_error is None
        queues[inventory.account] = {q.name for q in snap.queues}
    assert queues == {"123456789012": set(), dev: {"dev-queue"}, prod: {"prod-queue"}}
    # Every assumed role's session reads its models from the caller's one loader.
    members = [a for a in ctx.accounts() if a.account != "123456789012"]
    loaders = {id(a.session._core.get_component("data_loader")) for a in members}
    assert loaders == {id(ctx.base_session()._session.get_component("data_loader"))}


def test_an_account_whose_role_is_refused_is_unknown_and_the_others_are_reviewed(
    org: Org,
) -> None:
    ok, refused = org.account("ok"), org.account("refused")
    org.as_account(ok).client("sqs").create_queue(QueueName="q")
    ctx = _context(org.session)
    ctx.before_send_hooks.append(_refuse_assume_role(refused))
    collection = collect_inventory(ctx)
    evidence = run_checks(collection, CheckConfig())
    # Every check but the opt-in Access Analyzer comparison, which was not asked for.
    theirs = [
        e
        for e in evidence
        if e.account == refused and e.check_id != "accessanalyzer.public_access_cross_check"
    ]
    assert len({e.check_id for e in theirs}) > 20 and all(
        e.status is Status.UNKNOWN for e in theirs
    )
    assert "AssumeRole" in json.dumps([e.to_dict() for e in theirs])
    assert any(e.account == ok and e.status is not Status.UNKNOWN for e in evidence)
    refusals = [(e.account, e.code) for e in collection.errors if e.operation == "AssumeRole"]
    assert refusals == [(refused, "AccessDenied")]
    scope = build_evidence_file(collection, evidence).scope
    assert scope["organization"]["unreachable"] == [refused]


def test_credentials_that_expire_during_the_run_are_refreshed(org: Org) -> None:
    accounts = [org.account(f"a{n}") for n in range(2)]
    for account in accounts:
        org.as_account(account).client("sqs").create_queue(QueueName=f"q-{account}")
    # A 15-minute session is inside botocore's refresh window from the start: every use of
    # the credentials asks STS for new ones, as a long sweep does after 45 minutes.
    ctx = _context(org.session, role_session_seconds=900)
    members = [a for a in ctx.accounts() if a.account in accounts]
    first = {a.account: a.session.credentials.access_key for a in members}
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    assert collection.errors == ()
    assert collection.calls["sts:AssumeRole"] > len(accounts)
    for session in members:
        assert (
            session.session.credentials.get_frozen_credentials().access_key
            != first[session.account]
        )
        snap = next(i for i in collection.inventories if i.account == session.account).get(
            REGION, SqsSnapshot
        )
        assert snap is not None and [q.name for q in snap.queues] == [f"q-{session.account}"]


def _grant(account: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "sqs:SendMessage",
                    "Resource": "*",
                }
            ],
        }
    )


@pytest.mark.parametrize(("trust", "expected"), [(True, Status.PASS), (False, Status.WARN)])
def test_accounts_of_the_organization_are_trusted_unless_the_user_says_not(
    org: Org, trust: bool, expected: Status
) -> None:
    prod, shared = org.account("prod"), org.account("shared")
    org.as_account(prod).client("sqs").create_queue(
        QueueName="orders", Attributes={"Policy": _grant(shared)}
    )
    ctx = _context(org.session, trust_org=trust)
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    evidence = run_checks(collection, CheckConfig())
    [orders] = [e for e in evidence if e.account == prod and e.resource_arn.endswith("orders")]
    assert orders.status is expected


def test_region_all_reviews_every_enabled_region(moto: Any) -> None:
    ctx = make_context(moto, regions=("all",))
    account = ctx.accounts()[0]
    enabled = ctx.regions_for(account)
    assert enabled[0] == REGION and "eu-west-1" in enabled and len(enabled) > 10
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    assert set(collection.inventories[0].regions()) == set(enabled)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--ou", "ou-1"], "need --org-role"),
        (["--org-role", "arn:aws:iam::1:role/x"], "not a role name"),
        (["--org-role", "r", "--accounts-shard", "3/2"], "not K/N"),
        (["--org-role", "r", "--role-arn", "arn:aws:iam::123456789012:role/x"], "give one"),
    ],
)
def test_organization_options_refuse_what_cannot_work(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["collect", *args])
    assert exited.value.code == 2
    assert says in capsys.readouterr().err


def test_every_collector_module_is_registered() -> None:
    import wa_review.aws.collectors as package

    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Collector) and value is not Collector:
                found.add(value)
    assert found == set(ALL_COLLECTORS)


def test_an_account_waiting_for_its_quota_holds_up_no_other_account(org: Org) -> None:
    from tests.aws.fixtures.common import execution_role, function
    from wa_review.aws.collectors.lambda_ import LambdaCollector
    from wa_review.aws.ratelimit import RateLimiter, RateLimits

    busy, free = org.account("busy"), org.account("free")
    for account, count in ((busy, 10), (free, 2)):
        session = org.as_account(account)
        role = execution_role(session, "r")
        for n in range(count):
            function(session, f"fn{n}", role)
    gate = threading.Event()
    ctx = _context(org.session)
    # Every wait for a token blocks until the gate opens: only `busy` has to wait, as its
    # GetPolicy quota is spent before the run starts.
    ctx.rate_limiter = RateLimiter(RateLimits(), sleep=lambda _s: gate.wait(60))
    spent = ctx.rate_limiter.bucket(busy, REGION, "lambda", "GetPolicy")
    assert spent is not None
    for _ in range(50):
        spent.reserve()
    finished: dict[str, threading.Event] = {busy: threading.Event(), free: threading.Event()}

    def progress(step: Progress) -> None:
        if step.state is not CollectState.STARTED and step.account in finished:
            finished[step.account].set()

    worker = threading.Thread(
        target=collect_inventory,
        args=(ctx,),
        kwargs={"collectors": (LambdaCollector,), "on_progress": progress},
    )
    worker.start()
    try:
        # `busy` has ten functions blocked on its quota, more than a fan-out pool's workers;
        # `free`'s calls still go through while they wait.
        assert finished[free].wait(60)
        assert not finished[busy].is_set()
    finally:
        gate.set()
        worker.join(60)
    assert finished[busy].is_set()
    scopes = {key[0] for key, _bucket in ctx.rate_limiter.buckets()}
    assert {busy, free} <= scopes  # one set of buckets per account, keyed by its id


def test_region_all_falls_back_to_the_home_region_when_regions_cannot_be_listed(
    moto: Any,
) -> None:
    def refuse(request: Any, event_name: str = "", **_: Any) -> AWSResponse | None:
        if not event_name.endswith("DescribeRegions"):
            return None
        body = (
            b"<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not "
            b"authorized to perform this operation.</Message></Error></Errors>"
            b"<RequestID>1</RequestID></Response>"
        )
        return AWSResponse(request.url, 403, {"Content-Type": "text/xml"}, RawBody(body))

    ctx = make_context(moto, regions=("all",))
    ctx.before_send_hooks.append(refuse)
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    assert collection.inventories[0].regions() == [REGION]
    [error] = [e for e in collection.errors if e.operation == "DescribeRegions"]
    assert error.code == "UnauthorizedOperation"
    assert f"only {REGION} is reviewed" in error.message
