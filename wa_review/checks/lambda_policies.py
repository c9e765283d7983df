"""Lambda resource policies: who may invoke functions and use layers (practice a1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from wa_review.checks.support.helpers import Emitter, judge_document, reasons_of, with_fallback
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status, worst
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot, ResourcePolicy
from wa_review.policy import AccessClass, Verdict, parse_execute_api_arn

DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html"
APIGW = "apigateway.amazonaws.com"


def _functions(inv: AccountInventory) -> Iterator[tuple[str, LambdaSnapshot]]:
    yield from inv.each(LambdaSnapshot)


def _each_region(
    inv: AccountInventory,
    emit: Emitter,
    judge: Callable[[LambdaSnapshot, str], Iterator[Evidence]],
    what: str,
) -> Iterator[Evidence]:
    """UNKNOWN for a region whose functions could not be listed; else the judged evidence,
    or NOT_APPLICABLE when nothing in the region was judged."""
    for region, snap in _functions(inv):
        if snap.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, snap.listing_error, "Lambda functions", listed=len(snap.functions)
            )
            yield from judge(snap, region)
        else:
            yield from with_fallback(judge(snap, region), emit.not_applicable(region, what))


def _judged(
    fn: LambdaFunction, inv: AccountInventory, cfg: CheckConfig
) -> list[tuple[ResourcePolicy, Verdict | str | None]]:
    """Each policy of the function (unqualified and per alias) with the judge's verdict."""
    out: list[tuple[ResourcePolicy, Verdict | str | None]] = []
    for policy in fn.policies:
        if policy.error is not None or policy.document is None:
            out.append((policy, None))
        else:
            out.append(
                (policy, judge_document(policy.document, inv.account, "lambda", policy.target, cfg))
            )
    return out


def _class_check(
    inv: AccountInventory,
    cfg: CheckConfig,
    emit: Emitter,
    bad: AccessClass,
    fail_text: str,
    pass_text: str,
) -> Iterator[Evidence]:
    """Per in-scope function: FAIL when any of its policies grants `bad`."""
    for region, snap in _functions(inv):
        in_scope = [f for f in snap.functions if f.in_scope]
        if snap.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, snap.listing_error, "Lambda functions", listed=len(snap.functions)
            )
        elif not in_scope:
            yield emit.not_applicable(region, "Lambda functions")
            continue
        for fn in in_scope:
            yield _judge_function(fn, region, inv, cfg, emit, bad, fail_text, pass_text)


def _judge_function(
    fn: LambdaFunction,
    region: str,
    inv: AccountInventory,
    cfg: CheckConfig,
    emit: Emitter,
    bad: AccessClass,
    fail_text: str,
    pass_text: str,
) -> Evidence:
    failing: list[dict[str, object]] = []
    grants: list[str] = []
    unknown: list[str] = []
    for policy, verdict in _judged(fn, inv, cfg):
        if policy.error is not None:
            return emit.unknown(fn.arn, region, policy.error, f"the resource policy of {fn.name}")
        alias = "" if policy.target == fn.arn else f" (alias {policy.target.rsplit(':', 1)[-1]})"
        if isinstance(verdict, str):
            unknown.append(f"{policy.target}: {verdict}")
        elif verdict is not None:
            if bad in verdict.classes:
                failing.append({"target": policy.target, "reasons": reasons_of(verdict, bad)})
                grants += [
                    f"statement {r.statement}{alias} grants {', '.join(r.principals) or 'it'}"
                    for r in verdict.reasons
                    if r.access_class is bad
                ]
            elif verdict.most_open is AccessClass.UNKNOWN:
                unknown += [
                    f"{policy.target}: {r.detail}"
                    for r in verdict.reasons
                    if r.access_class is AccessClass.UNKNOWN
                ]
    if failing:
        summary = f"{fn.name}: {fail_text}: " + "; ".join(grants)
        return emit(Status.FAIL, fn.arn, region, summary, policies=failing)
    if unknown:
        return emit(
            Status.UNKNOWN,
            fn.arn,
            region,
            f"{fn.name}: the policy could not be judged: {unknown[0]}",
            reasons=unknown,
        )
    has_policy = any(p.document for p in fn.policies)
    text = (
        pass_text
        if has_policy
        else "no resource policy: only IAM principals of this account can invoke it"
    )
    return emit(Status.PASS, fn.arn, region, f"{fn.name}: {text}")


@check(
    "lambda.function_policy_public",
    title="Lambda function policies do not allow public invocation",
    severity=Severity.CRITICAL,
    service="lambda",
    rationale="A function whose policy lets anyone (any account or anonymous) invoke it is an open door.",
    remediation="Remove statements with Principal '*' or pin them with aws:SourceArn / aws:SourceAccount / "
    "aws:PrincipalOrgID (`aws lambda remove-permission`).",
    references=(DOCS,),
)
def function_policy_public(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    yield from _class_check(
        inv,
        cfg,
        emit,
        AccessClass.PUBLIC,
        "anyone may invoke",
        "no policy statement lets the public invoke it",
    )


@check(
    "lambda.function_policy_cross_account",
    title="Lambda function policies grant no untrusted account",
    severity=Severity.HIGH,
    service="lambda",
    rationale="Accounts outside the workload and the trusted set should not invoke its functions.",
    remediation="Remove the permission, or add the account to the trusted set if it is part of the workload.",
    references=(DOCS,),
)
def function_policy_cross_account(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    yield from _class_check(
        inv,
        cfg,
        emit,
        AccessClass.CROSS_ACCOUNT,
        "another account may invoke",
        "no untrusted account may invoke it",
    )


@check(
    "lambda.function_policy_unscoped_service",
    title="Service principals in Lambda policies are pinned to our resources",
    severity=Severity.HIGH,
    service="lambda",
    rationale="A service principal without aws:SourceArn or aws:SourceAccount lets that service invoke the "
    "function on behalf of any customer's resource (the confused deputy).",
    remediation="Add aws:SourceArn (the bucket, topic, rule or API) and aws:SourceAccount to the permission.",
    references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",),
)
def function_policy_unscoped_service(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    yield from _class_check(
        inv,
        cfg,
        emit,
        AccessClass.SERVICE_UNSCOPED,
        "a service may invoke it for any caller's resource",
        "every service principal is pinned to this account's resources",
    )


def _apigw_scope(
    fn: LambdaFunction, inv: AccountInventory, cfg: CheckConfig
) -> tuple[Status, list[str]] | None:
    """Worst finding over the function's API Gateway permissions; None when it has none."""
    statuses: list[Status] = []
    notes: list[str] = []
    for _policy, verdict in _judged(fn, inv, cfg):
        if not isinstance(verdict, Verdict):
            continue
        for reason in verdict.reasons:
            if not any(APIGW in p for p in reason.principals):
                continue
            status, note = _grade_apigw(reason.source_arns, inv.account)
            notes.append(f"{reason.statement}: {note}")
            statuses.append(status)
    return (worst(statuses), notes) if statuses else None


def _grade_apigw(source_arns: tuple[str, ...], account: str) -> tuple[Status, str]:
    if not source_arns:
        return Status.FAIL, "any API in any account may invoke (no aws:SourceArn)"
    grades: list[tuple[Status, str]] = []
    for raw in source_arns:
        arn = parse_execute_api_arn(raw)
        if arn is None:
            grades.append((Status.FAIL, f"aws:SourceArn {raw} is not an execute-api ARN"))
        elif (
            arn.account in ("", "*")
            or arn.api_id in ("", "*")
            or "*" in arn.account
            or "*" in arn.api_id
        ):
            grades.append((Status.FAIL, arn.describe()))
        elif arn.account != account:
            grades.append(
                (Status.FAIL, f"{arn.describe()} (account {arn.account} is not this account)")
            )
        elif arn.is_wildcard_scope():
            grades.append((Status.WARN, arn.describe()))
        else:
            grades.append((Status.PASS, arn.describe()))
    return worst(g[0] for g in grades), "; ".join(g[1] for g in grades)


@check(
    "lambda.function_policy_apigw_scope",
    title="API Gateway permissions name one API, stage, method and path",
    severity=Severity.MEDIUM,
    service="lambda",
    rationale="A permission for apigateway.amazonaws.com should name the API (and ideally stage, method and "
    "path) that calls the function, so no other API can reach it.",
    remediation="Re-add the permission with --source-arn arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH.",
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html",
    ),
)
def function_policy_apigw_scope(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    yield from _each_region(
        inv,
        emit,
        lambda snap, region: _apigw_evidence(snap, region, inv, cfg, emit),
        "functions invoked by API Gateway",
    )


def _apigw_evidence(
    snap: LambdaSnapshot, region: str, inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    for fn in snap.functions:
        if not fn.in_scope:
            continue
        errors = [p.error for p in fn.policies if p.error is not None]
        if errors:
            yield emit.unknown(fn.arn, region, errors[0], f"the resource policy of {fn.name}")
            continue
        graded = _apigw_scope(fn, inv, cfg)
        if graded is not None:
            status, notes = graded
            yield emit(status, fn.arn, region, f"{fn.name}: " + "; ".join(notes), statements=notes)


@check(
    "lambda.function_url_auth_none",
    title="Function URLs require IAM authentication",
    severity=Severity.HIGH,
    service="lambda",
    rationale="A function URL with AuthType NONE is reachable by anyone on the internet who knows the URL.",
    remediation="Set the URL's AuthType to AWS_IAM, or remove the URL and front the function with API Gateway.",
    references=("https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",),
)
def function_url_auth_none(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    yield from _each_region(
        inv, emit, lambda snap, region: _url_evidence(snap, region, emit), "function URLs"
    )


def _url_evidence(snap: LambdaSnapshot, region: str, emit: Emitter) -> Iterator[Evidence]:
    for fn in snap.functions:
        if not fn.in_scope:
            continue
        if fn.url_error is not None:
            yield emit.unknown(fn.arn, region, fn.url_error, f"the function URL of {fn.name}")
        for url in fn.urls:
            target = f"{fn.arn}:{url.qualifier}" if url.qualifier else fn.arn
            label = f"{fn.name}:{url.qualifier}" if url.qualifier else fn.name
            if url.auth_type == "NONE":
                yield emit(
                    Status.FAIL,
                    target,
                    region,
                    f"{label}: function URL has AuthType NONE",
                    url=url.url,
                )
            elif "*" in url.cors_origins:
                yield emit(
                    Status.WARN,
                    target,
                    region,
                    f"{label}: URL uses AWS_IAM but CORS allows any origin",
                    url=url.url,
                )
            else:
                yield emit(
                    Status.PASS,
                    target,
                    region,
                    f"{label}: function URL requires AWS_IAM",
                    url=url.url,
                )


@check(
    "lambda.layer_policy_public",
    title="Lambda layer versions are not shared publicly",
    severity=Severity.HIGH,
    service="lambda",
    rationale="A layer shared with '*' lets any account read its code; share with the organization instead.",
    remediation="Remove the public permission (remove-layer-version-permission) and share with "
    "--organization-id, or with named accounts.",
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html#permissions-resource-xaccountlayer",
    ),
)
def layer_policy_public(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    for region, snap in _functions(inv):
        # Without the functions the collector never lists layers: that is not "no layers".
        error = snap.layers_error or snap.listing_error
        layers = [layer for layer in snap.layers if layer.in_scope]
        if error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(region, error, "Lambda layers", listed=len(snap.layers))
        elif not layers:
            yield emit.not_applicable(region, "Lambda layers")
        for layer in layers:
            label = f"{layer.name}:{layer.version}"
            if layer.policy.error is not None:
                yield emit.unknown(
                    layer.arn, region, layer.policy.error, f"the policy of layer {label}"
                )
                continue
            if layer.policy.document is None:
                yield emit(Status.PASS, layer.arn, region, f"{label}: not shared (no layer policy)")
                continue
            verdict = judge_document(layer.policy.document, inv.account, "layer", layer.arn, cfg)
            if isinstance(verdict, str):
                yield emit(Status.UNKNOWN, layer.arn, region, f"{label}: {verdict}")
            elif AccessClass.PUBLIC in verdict.classes:
                yield emit(
                    Status.FAIL,
                    layer.arn,
                    region,
                    f"{label}: shared with every AWS account",
                    reasons=reasons_of(verdict, AccessClass.PUBLIC),
                )
            elif verdict.most_open is AccessClass.UNKNOWN:
                yield emit(
                    Status.UNKNOWN,
                    layer.arn,
                    region,
                    f"{label}: the policy could not be judged",
                    reasons=reasons_of(verdict),
                )
            elif AccessClass.CROSS_ACCOUNT in verdict.classes:
                yield emit(
                    Status.WARN,
                    layer.arn,
                    region,
                    f"{label}: shared with named accounts outside the trusted set",
                    reasons=reasons_of(verdict, AccessClass.CROSS_ACCOUNT),
                )
            else:
                yield emit(
                    Status.PASS,
                    layer.arn,
                    region,
                    f"{label}: shared only within the organization or account",
                    reasons=reasons_of(verdict),
                )
