"""The read-only guard: a botocore hook that refuses any operation that is not a read."""

from __future__ import annotations

from typing import Any

from wa_review.errors import ReadOnlyViolation

READ_PREFIXES = ("List", "Get", "Describe", "Select", "Search", "Lookup", "Check", "Validate")

# Reads whose names fit no prefix above. Each is listed with why it is safe.
NAMED_READS = frozenset(
    {
        # Returns temporary credentials for a role the reviewer named; changes nothing.
        ("sts", "AssumeRole"),
        # HEAD requests: metadata only.
        ("s3", "HeadBucket"),
    }
)


def is_read_operation(service: str, operation: str) -> bool:
    return operation.startswith(READ_PREFIXES) or (service, operation) in NAMED_READS


def _refuse_writes(model: Any, **_: Any) -> None:
    service = model.service_model.endpoint_prefix
    if not is_read_operation(service, model.name):
        raise ReadOnlyViolation(
            f"Refused {service}:{model.name}: wa-review only reads while it collects.",
            hint="This is a bug in wa-review; please report it with the command you ran.",
        )


def install_read_only_guard(client: Any) -> None:
    """Run before every API call of `client`, ahead of any other handler."""
    client.meta.events.register_first("before-call.*.*", _refuse_writes)
