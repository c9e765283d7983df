"""IAM wildcard matching (`*` and `?`) without regex backtracking."""

from __future__ import annotations


def _squash(pattern: str) -> str:
    """Collapse runs of `*`: they match the same strings and make matching quadratic."""
    out: list[str] = []
    for ch in pattern:
        if ch == "*" and out and out[-1] == "*":
            continue
        out.append(ch)
    return "".join(out)


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Whether `text` matches `pattern`, where `*` is any run and `?` any one character."""
    if ignore_case:
        pattern, text = pattern.lower(), text.lower()
    if "*" not in pattern and "?" not in pattern:
        return pattern == text
    if "**" in pattern:
        pattern = _squash(pattern)
    # Cheap refusal first, so a huge pattern against a short name costs O(pattern) only.
    if len(pattern) - pattern.count("*") > len(text):
        return False
    p = t = 0
    star = -1
    mark = 0
    while t < len(text):
        if p < len(pattern) and (pattern[p] == "?" or pattern[p] == text[t]):
            p += 1
            t += 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark = p, t
            p += 1
        elif star != -1:
            p = star + 1
            mark += 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def glob_covers(outer: str, inner: str, *, ignore_case: bool = False) -> bool:
    """Whether every string `inner` matches also matches `outer`.

    Exact for a literal `inner`; otherwise only the sure cases (`outer` is `*`, equal, or a
    literal prefix ending in `*`). When unsure it answers False: callers use it to decide that
    a Deny certainly applies, and a wrong yes would hide access.
    """
    if ignore_case:
        outer, inner = outer.lower(), inner.lower()
    if not has_wildcard(inner):
        return glob_match(outer, inner)
    if outer == inner or _squash(outer) == "*":
        return True
    head = outer[:-1]
    if outer.endswith("*") and not has_wildcard(head):
        literal_prefix = inner[: min(i for i in (inner.find("*"), inner.find("?")) if i >= 0)]
        return literal_prefix.startswith(head)
    return False
