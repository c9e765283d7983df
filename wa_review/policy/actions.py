"""Action groups per resource type, and which actions a statement covers."""

from __future__ import annotations

import re

from wa_review.policy.globs import glob_covers, glob_match, has_wildcard
from wa_review.policy.parse import Listing

OTHER = "other"


def _names(prefix: str, text: str) -> tuple[str, ...]:
    return tuple(f"{prefix}:{name}" for name in text.split())


# The actions a resource policy of each type can meaningfully grant, grouped by what they let a
# caller do. Not every action of each service: enough that wildcards land in the right group.
ACTION_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "lambda": {
        "invoke": _names("lambda", "InvokeFunction InvokeAsync InvokeFunctionUrl"),
        "read": _names(
            "lambda",
            "GetFunction GetFunctionConfiguration GetPolicy GetAlias ListAliases "
            "ListVersionsByFunction GetFunctionUrlConfig ListFunctionUrlConfigs "
            "GetFunctionConcurrency GetProvisionedConcurrencyConfig "
            "ListProvisionedConcurrencyConfigs GetFunctionEventInvokeConfig "
            "ListFunctionEventInvokeConfigs GetFunctionCodeSigningConfig ListTags "
            "GetRuntimeManagementConfig GetFunctionRecursionConfig",
        ),
        "write": _names(
            "lambda",
            "UpdateFunctionCode UpdateFunctionConfiguration PublishVersion CreateAlias "
            "UpdateAlias DeleteAlias DeleteFunction PutFunctionConcurrency "
            "DeleteFunctionConcurrency PutProvisionedConcurrencyConfig "
            "DeleteProvisionedConcurrencyConfig PutFunctionEventInvokeConfig "
            "UpdateFunctionEventInvokeConfig DeleteFunctionEventInvokeConfig TagResource "
            "UntagResource PutRuntimeManagementConfig PutFunctionRecursionConfig",
        ),
        "admin": _names(
            "lambda",
            "AddPermission RemovePermission CreateFunctionUrlConfig UpdateFunctionUrlConfig "
            "DeleteFunctionUrlConfig PutFunctionCodeSigningConfig "
            "DeleteFunctionCodeSigningConfig",
        ),
    },
    "layer": {
        "use": _names("lambda", "GetLayerVersion GetLayerVersionByArn"),
        "read": _names("lambda", "ListLayerVersions ListLayers GetLayerVersionPolicy"),
        "admin": _names(
            "lambda",
            "AddLayerVersionPermission RemoveLayerVersionPermission DeleteLayerVersion "
            "PublishLayerVersion",
        ),
    },
    "apigateway": {
        "invoke": _names("execute-api", "Invoke"),
        "manage": _names("execute-api", "ManageConnections InvalidateCache"),
    },
    "sqs": {
        "send": _names("sqs", "SendMessage SendMessageBatch"),
        "receive": _names(
            "sqs",
            "ReceiveMessage DeleteMessage DeleteMessageBatch ChangeMessageVisibility "
            "ChangeMessageVisibilityBatch",
        ),
        "read": _names(
            "sqs",
            "GetQueueAttributes GetQueueUrl ListDeadLetterSourceQueues ListQueueTags "
            "ListQueues ListMessageMoveTasks",
        ),
        "admin": _names(
            "sqs",
            "SetQueueAttributes AddPermission RemovePermission DeleteQueue PurgeQueue "
            "TagQueue UntagQueue CreateQueue StartMessageMoveTask CancelMessageMoveTask",
        ),
    },
    "sns": {
        "publish": _names("sns", "Publish"),
        "subscribe": _names("sns", "Subscribe Receive ConfirmSubscription"),
        "read": _names(
            "sns",
            "GetTopicAttributes ListSubscriptionsByTopic ListTagsForResource "
            "GetDataProtectionPolicy",
        ),
        "admin": _names(
            "sns",
            "SetTopicAttributes AddPermission RemovePermission DeleteTopic TagResource "
            "UntagResource PutDataProtectionPolicy",
        ),
    },
    "s3": {
        "read": _names(
            "s3",
            "GetObject GetObjectVersion GetObjectAttributes GetObjectTagging GetObjectAcl "
            "GetObjectVersionAcl ListBucket ListBucketVersions ListBucketMultipartUploads "
            "ListMultipartUploadParts GetBucketLocation GetBucketPolicy GetBucketAcl",
        ),
        "write": _names(
            "s3",
            "PutObject DeleteObject DeleteObjectVersion AbortMultipartUpload RestoreObject "
            "PutObjectTagging DeleteObjectTagging ReplicateObject ReplicateDelete",
        ),
        "admin": _names(
            "s3",
            "PutBucketPolicy DeleteBucketPolicy PutBucketAcl PutObjectAcl PutObjectVersionAcl "
            "PutBucketPublicAccessBlock PutBucketOwnershipControls PutBucketVersioning "
            "PutEncryptionConfiguration PutLifecycleConfiguration PutBucketCORS "
            "PutBucketNotification PutReplicationConfiguration PutBucketLogging "
            "PutBucketWebsite PutBucketTagging DeleteBucket",
        ),
    },
    "dynamodb": {
        "read": _names(
            "dynamodb",
            "GetItem BatchGetItem Query Scan ConditionCheckItem PartiQLSelect DescribeTable "
            "DescribeStream GetRecords GetShardIterator ListStreams DescribeTimeToLive "
            "ListTagsOfResource GetResourcePolicy ExportTableToPointInTime",
        ),
        "write": _names(
            "dynamodb",
            "PutItem UpdateItem DeleteItem BatchWriteItem PartiQLInsert PartiQLUpdate "
            "PartiQLDelete",
        ),
        "admin": _names(
            "dynamodb",
            "UpdateTable DeleteTable PutResourcePolicy DeleteResourcePolicy CreateBackup "
            "RestoreTableToPointInTime UpdateTimeToLive UpdateContinuousBackups TagResource "
            "UntagResource EnableKinesisStreamingDestination "
            "DisableKinesisStreamingDestination",
        ),
    },
    "events": {
        "send": _names("events", "PutEvents"),
        "read": _names(
            "events",
            "DescribeEventBus DescribeRule ListRules ListTargetsByRule ListTagsForResource",
        ),
        "write": _names(
            "events",
            "PutRule PutTargets DeleteRule RemoveTargets EnableRule DisableRule TagResource "
            "UntagResource",
        ),
        "admin": _names("events", "PutPermission RemovePermission UpdateEventBus DeleteEventBus"),
    },
    "generic": {"read": (), "write": (), "admin": ()},
}

_GROUP_OF: dict[str, dict[str, str]] = {
    rtype: {action.lower(): group for group, actions in groups.items() for action in actions}
    for rtype, groups in ACTION_GROUPS.items()
}

# For `generic` resources we only have the verb to go by.
_MUTATE = r"(?:put|set|add|remove|delete|create|update|attach|detach|revoke)"
_VERBS = (
    ("admin", re.compile(rf"^[a-z0-9-]+:{_MUTATE}.*(?:permission|policy|acl|grant)", re.I)),
    ("read", re.compile(r"^[a-z0-9-]+:(?:get|list|describe|head|query|scan|batchget)", re.I)),
    ("write", re.compile(rf"^[a-z0-9-]+:(?:{_MUTATE}|send|publish|batch)", re.I)),
)


def groups_for(resource_type: str) -> tuple[str, ...]:
    return tuple(ACTION_GROUPS[resource_type])


def group_of(action: str, resource_type: str) -> str:
    """The group of a known action, or of a pattern that matched none (by verb for generic)."""
    known = _GROUP_OF[resource_type].get(action.lower())
    if known:
        return known
    if resource_type == "generic" and not has_wildcard(action):
        return next((group for group, verb in _VERBS if verb.match(action)), OTHER)
    return OTHER


def covered(listing: Listing, resource_type: str) -> dict[str, tuple[str, ...]]:
    """Group -> actions a statement's Action/NotAction covers.

    Known actions are listed one by one, so a Deny can be checked action by action; patterns that
    match no known action stay as written (group `other`, or by verb for generic resources).
    """
    found: dict[str, list[str]] = {}
    table = ACTION_GROUPS[resource_type]
    matched_patterns: set[str] = set()
    for group, actions in table.items():
        for action in actions:
            hits = [p for p in listing.values if glob_match(p, action, ignore_case=True)]
            matched_patterns.update(hits)
            if bool(hits) != listing.negated:
                found.setdefault(group, []).append(action)
    if listing.negated:
        if not any(table.values()):
            # Everything but the named actions, spelt so that only a Deny on "*" covers it.
            found.setdefault(OTHER, []).append(f"* except {', '.join(listing.values)}")
    else:
        for pattern in listing.values:
            if pattern not in matched_patterns:
                found.setdefault(group_of(pattern, resource_type), []).append(pattern)
    return {group: tuple(dict.fromkeys(actions)) for group, actions in found.items()}


def deny_covers_action(listing: Listing, action: str) -> bool:
    """Whether a Deny's Action/NotAction certainly covers `action` (a name or a pattern)."""
    if not listing.negated:
        return any(glob_covers(p, action, ignore_case=True) for p in listing.values)
    if has_wildcard(action):
        return False  # a pattern may overlap the excluded actions: not certain
    return not any(glob_match(p, action, ignore_case=True) for p in listing.values)
