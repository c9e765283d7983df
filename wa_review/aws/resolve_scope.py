"""Resolve --stack and --tag into the identifiers of in-scope resources (reads only)."""

from __future__ import annotations

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.scope import Scope, ScopeMode
from wa_review.errors import ScopeError

NESTED_STACK = "AWS::CloudFormation::Stack"


def resolve_scope(
    apis: list[RegionApi], *, stacks: tuple[str, ...] = (), tags: tuple[tuple[str, str], ...] = ()
) -> Scope:
    """Everything when no stack or tag is given; else the union of what they name."""
    if not stacks and not tags:
        return Scope()
    ids: set[str] = set()
    notes: list[str] = []
    for name in stacks:
        found = False
        for api in apis:
            try:
                found |= _stack_resources(api, name, ids, depth=0)
            except CallFailed as failed:
                if failed.code == "ValidationError":  # "Stack with id X does not exist"
                    continue
                raise ScopeError(
                    f"Could not read stack '{name}' in {api.region}: {failed.error.reason()}",
                    hint="Grant cloudformation:ListStackResources (see 'wa-review iam-policy').",
                ) from failed
        if not found:
            regions = ", ".join(sorted({a.region for a in apis}))
            raise ScopeError(
                f"Stack '{name}' was not found in {regions}.",
                hint="Check the stack name and pass --region for the region it lives in.",
            )
    for api in apis:
        if tags:
            ids |= _tagged(api, tags)
    if tags and not ids:
        notes.append("no resource carries the requested tags")
    mode = ScopeMode.STACKS if stacks else ScopeMode.TAGS
    if stacks and tags:
        mode = ScopeMode.STACKS_AND_TAGS
    return Scope(
        mode=mode, identifiers=frozenset(ids), stacks=stacks, tags=tags, notes=tuple(notes)
    )


def _stack_resources(api: RegionApi, stack: str, ids: set[str], *, depth: int) -> bool:
    if depth > 10:  # CloudFormation allows deep nesting, but not cycles; be safe.
        return True
    summaries = api.paginate(
        "cloudformation",
        "list_stack_resources",
        "StackResourceSummaries",
        resource=stack,
        StackName=stack,
    )
    for item in summaries:
        physical = item.get("PhysicalResourceId")
        if not physical:
            continue
        ids.add(physical)
        if item.get("ResourceType") == NESTED_STACK:
            _stack_resources(api, physical, ids, depth=depth + 1)
    return True


def _tagged(api: RegionApi, tags: tuple[tuple[str, str], ...]) -> set[str]:
    filters: dict[str, list[str]] = {}
    for key, value in tags:
        filters.setdefault(key, []).append(value)
    try:
        mappings = api.paginate(
            "resourcegroupstaggingapi",
            "get_resources",
            "ResourceTagMappingList",
            TagFilters=[{"Key": k, "Values": v} for k, v in filters.items()],
        )
    except CallFailed as failed:
        raise ScopeError(
            f"Could not read tags in {api.region}: {failed.error.reason()}",
            hint="Grant tag:GetResources (see 'wa-review iam-policy').",
        ) from failed
    found: set[str] = set()
    for mapping in mappings:
        arn = str(mapping["ResourceARN"])
        found.add(arn)
        found.add(arn.rsplit(":", 1)[-1].split("/")[-1])  # names for services keyed by name
    return found
