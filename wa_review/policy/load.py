"""Turn policy text (plain or API Gateway-escaped JSON) into a JSON value, safely."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from wa_review.errors import InputFileError

# The largest AWS resource policies are a few tens of KiB (SNS 30 KiB, S3/Lambda 20 KiB), so these
# limits leave room for pretty-printed copies while keeping pathological input cheap to refuse.
MAX_TEXT_CHARS = 512 * 1024
MAX_DEPTH = 32
MAX_NODES = 50_000
MAX_STATEMENTS = 256


class PolicyParseError(InputFileError):
    """The input is not JSON at all (or too big or deep to be a resource policy)."""


def decode_policy(source: object) -> object:
    """The JSON value a policy source holds, unwrapping API Gateway's escaped form.

    Accepts a mapping (returned as is), text or bytes. Text may be plain JSON, a JSON string
    whose content is the policy, or the bare escaped content GetRestApi returns
    (`{\\"Version\\":...\\/...}`).

    Raises:
        PolicyParseError: the text is not JSON, or is too large or deep for a resource policy.
    """
    if isinstance(source, Mapping):
        _check_shape(source)
        return dict(source)
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise PolicyParseError(f"The policy is not UTF-8 text: {err}.") from err
    if not isinstance(source, str):
        return source  # some other Python value: judge_policy reports it as not a policy
    text = source.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise PolicyParseError(
            f"The policy is {len(text)} characters long; AWS resource policies are far smaller "
            f"(limit here {MAX_TEXT_CHARS}).",
            hint="Check that the file holds one resource policy.",
        )
    value = _loads(text)
    # Two string layers at most: a JSON string holding the policy, whose content may itself
    # be the escaped form again when a tool quoted it twice.
    for _ in range(2):
        if not isinstance(value, str):
            break
        inner = value.strip()
        if not inner.startswith(("{", "[")):
            break
        value = _loads(inner)
    _check_shape(value)
    return value


def load_policy_document(source: object) -> dict[str, Any]:
    """The policy as a dict, from any of the forms `decode_policy` accepts.

    Raises:
        PolicyParseError: not JSON, or JSON that is not an object.
    """
    value = decode_policy(source)
    if not isinstance(value, dict):
        raise PolicyParseError(
            f"The policy is JSON but a {type(value).__name__}, not an object with a Statement."
        )
    return value


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except RecursionError as err:
        raise PolicyParseError("The policy JSON is nested too deeply to be a policy.") from err
    except ValueError as err:
        # GetRestApi's bare escaped content is not JSON until it is read as a string body.
        if '\\"' in text:
            try:
                return json.loads(f'"{text}"', strict=False)
            except RecursionError as inner:
                raise PolicyParseError("The policy JSON is nested too deeply.") from inner
            except ValueError:
                pass
        raise PolicyParseError(
            f"The policy is not JSON: {err}.",
            hint="Pass the policy document itself (plain or escaped JSON).",
        ) from err


def _check_shape(value: object) -> None:
    """Refuse values too deep or too big to be a policy, without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    nodes = 0
    chars = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise PolicyParseError(f"The policy is nested more than {MAX_DEPTH} levels deep.")
        if nodes > MAX_NODES:
            raise PolicyParseError(f"The policy has more than {MAX_NODES} JSON values.")
        if isinstance(item, str):
            chars += len(item)
        elif isinstance(item, Mapping):
            for key, child in item.items():
                chars += len(str(key))
                stack.append((child, depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((child, depth + 1) for child in item)
        if chars > MAX_TEXT_CHARS:
            raise PolicyParseError(f"The policy holds more than {MAX_TEXT_CHARS} characters.")
