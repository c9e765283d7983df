"""Sentences that explain a judgement to a reviewer."""

from __future__ import annotations

from collections.abc import Sequence

from wa_review.policy.conditions import (
    ClauseFinding,
    Pin,
    PinKind,
    Polarity,
    broad_range,
    unmatched_sentence,
)
from wa_review.policy.context import ACCOUNT_ID
from wa_review.policy.verdict import AccessClass

_CLASS_SENTENCE = {
    AccessClass.PUBLIC: (
        "So anyone can do this: any AWS account and, where the service allows it, "
        "anonymous callers."
    ),
    AccessClass.UNKNOWN: "So this grant cannot be judged; treat it as possibly open.",
    AccessClass.CROSS_ACCOUNT: "So principals outside this account can do this.",
    AccessClass.SERVICE_UNSCOPED: (
        "So the service can do this on behalf of resources in any account (the confused "
        "deputy); pin it to this account with aws:SourceArn or aws:SourceAccount."
    ),
    AccessClass.NETWORK_RESTRICTED: "So only callers from {network} can do this.",
    AccessClass.ORG_ONLY: "So only principals in organization {orgs} can do this.",
    AccessClass.SERVICE_SCOPED: (
        "So only an AWS service acting for this account's own resources can do this."
    ),
    AccessClass.ACCOUNT_ONLY: "So it stays within this account.",
}


_DELEGATED = {
    PinKind.ACCESS_POINT: (
        "So only requests made through this account's S3 access points can do this; each "
        "access point's own policy decides who may use it, so judge those too."
    ),
    PinKind.KMS_KEY: (
        "So only callers who may use this account's KMS key can do this; the key policy "
        "decides who they are."
    ),
}


# Each access class in a few words, for people reading a verdict (JSON keeps the class names).
CLASS_WORDS: dict[AccessClass, str] = {
    AccessClass.PUBLIC: "anyone in any AWS account, and anonymous callers where the service allows",
    AccessClass.UNKNOWN: "a statement cannot be judged: treat it as possibly open",
    AccessClass.CROSS_ACCOUNT: "principals in accounts other than this one and the trusted ones",
    AccessClass.SERVICE_UNSCOPED: (
        "an AWS service acting for resources in any account (the confused deputy)"
    ),
    AccessClass.NETWORK_RESTRICTED: "anyone, but only from the listed networks or VPC endpoints",
    AccessClass.ORG_ONLY: "principals in the named organization",
    AccessClass.SERVICE_SCOPED: (
        "an AWS service, or one of our own access points or keys, acting for this account"
    ),
    AccessClass.ACCOUNT_ONLY: "nothing leaves this account or the trusted accounts",
}


def class_sentence(cls: AccessClass, pins: Sequence[Pin]) -> str:
    kinds = {p.kind for p in pins}
    if cls is AccessClass.SERVICE_SCOPED and not kinds & {PinKind.SOURCE, PinKind.SOURCE_ORG}:
        # Scoped by delegating to a resource of ours rather than by a service's source.
        for kind, sentence in _DELEGATED.items():
            if kind in kinds:
                return sentence
    network = [v for p in pins if p.kind is PinKind.NETWORK for v in p.values]
    orgs = [s for p in pins if p.kind in (PinKind.ORG, PinKind.SOURCE_ORG) for s in p.scopes]
    return _CLASS_SENTENCE[cls].format(
        network=" or ".join(dict.fromkeys(network)) or "the listed networks",
        orgs=" or ".join(dict.fromkeys(orgs)) or "(named in the condition)",
    )


def pin_warnings(pins: Sequence[Pin]) -> list[str]:
    """Pins that look tight but are not: an S3 bucket ARN names no account."""
    return [
        f"{p.key} {value} names no account: if that bucket is ever deleted, anyone can create "
        "one with the same name, so also require aws:SourceAccount."
        for p in pins
        if p.key == "aws:SourceArn"
        for value, scope in zip(p.values, p.scopes, strict=True)
        if scope == ""
    ]


def pin_sentences(pins: Sequence[Pin]) -> list[str]:
    """What a reader needs to know about some pins: why a source range counts as public, and
    that an IAM unique id does not say whose it is."""
    out: list[str] = []
    for p in pins:
        if p.key == "aws:SourceIp":
            out += [f"{why}." for why in map(broad_range, p.values) if why]
        elif p.kind is PinKind.USER_ID:
            out += [
                f"aws:userid {scope} is an IAM unique id, which does not say whose account it "
                "belongs to, so it counts as another account."
                for scope in p.scopes
                if scope.lower() != "anonymous" and not ACCOUNT_ID.match(scope)
            ]
            if any(s.lower() == "anonymous" for s in p.scopes):
                out.append("aws:userid anonymous is the id of unsigned requests: anyone.")
    return list(dict.fromkeys(out))


def actions_phrase(group: str, actions: Sequence[str]) -> str:
    shown = list(actions[:3])
    more = len(actions) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    return f"{group} access ({listed})"


def when_phrase(pins: Sequence[Pin]) -> str:
    return " when " + " and ".join(p.describe() for p in pins) if pins else ""


def allow_notes(findings: Sequence[ClauseFinding]) -> list[str]:
    """Why the identity-looking conditions of an Allow do not narrow it, and what the rest do."""
    notes: list[str] = []
    others: list[str] = []
    for f in findings:
        key = f.clause.key
        if key.lower() == "lambda:functionurlauthtype":
            notes.append(_url_auth(f))
        elif f.pin is not None and f.unmatched and f.polarity is Polarity.POSITIVE:
            notes.append(unmatched_sentence(f))
        elif f.pin is not None and f.polarity is Polarity.NEGATIVE:
            notes.append(
                f"{f.clause.operator} {f.pin.key} in an Allow is true for every other caller "
                "(and when the key is missing), so it does not limit who can call."
            )
        elif f.note and not f.unknown and f.pin is None:
            notes.append(_sentence(f.note))
        elif not f.identity and not f.unknown:
            others.append(key)
    if others:
        keys = ", ".join(dict.fromkeys(others))
        notes.append(f"Its other conditions ({keys}) narrow when it applies, not who may call.")
    return notes


def deny_blocker(findings: Sequence[ClauseFinding]) -> str:
    """Why a Deny's conditions cannot take callers away (empty when they can)."""
    for f in findings:
        if f.unknown:
            return f.note
        if f.pin is not None and f.polarity is Polarity.NEGATIVE:
            continue
        if f.pin is not None:
            return (
                f"{f.clause.operator} {f.pin.key} makes it refuse only the callers it names, "
                "so every other caller keeps access"
            )
        if f.note:
            return f.note
        return (
            f"it refuses only requests where {f.clause.operator} {f.clause.key} holds, "
            "which does not single out who may call"
        )
    return ""


def _url_auth(f: ClauseFinding) -> str:
    values = {v.upper() for v in f.clause.values}
    if "NONE" in values:
        return (
            "Through the function URL with auth type NONE, calls need no credentials at all "
            "(lambda:FunctionUrlAuthType NONE)."
        )
    return (
        "Through the function URL, callers must sign requests with IAM credentials, but of any "
        "account (lambda:FunctionUrlAuthType does not limit who)."
    )


def _sentence(text: str) -> str:
    # Notes start with an operator or a key (`aws:...`): keep their spelling, only end them.
    text = text.strip()
    return text if text.endswith(".") else text + "."
