"""Small shared pieces for checks: building evidence, UNKNOWN from errors, nothing-in-scope."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.inventory import CheckConfig
from wa_review.policy import AccessClass, PolicyContext, PolicyParseError, Verdict, judge_policy


@dataclass(frozen=True, slots=True)
class Emitter:
    """Builds evidence for one check in one account; keeps check bodies short."""

    check_id: str
    account: str

    def __call__(
        self, status: Status, resource_arn: str, region: str, summary: str, **details: Any
    ) -> Evidence:
        return Evidence(
            check_id=self.check_id,
            status=status,
            resource_arn=resource_arn,
            region=region,
            account=self.account,
            summary=summary,
            details=details,
        )

    def unknown(self, resource_arn: str, region: str, error: FetchError, what: str) -> Evidence:
        """An error is never a pass: say what could not be checked and why."""
        return self(
            Status.UNKNOWN,
            resource_arn,
            region,
            f"Could not check {what}: {error.code}",
            error=error.to_dict(),
        )

    def listing_failed(self, region: str, error: FetchError, what: str, *, listed: int) -> Evidence:
        """A listing that failed. When it failed after some pages, the `listed` resources are
        judged on their own evidence, and this says the inventory is incomplete."""
        if not listed:
            return self.unknown("", region, error, what)
        return self(
            Status.UNKNOWN,
            "",
            region,
            f"The inventory of {what} in {region} is incomplete ({error.code} after {listed} "
            "listed): those are judged, any others are not",
            error=error.to_dict(),
            incomplete=True,
        )

    def not_applicable(self, region: str, what: str) -> Evidence:
        return self(Status.NOT_APPLICABLE, "", region, f"No {what} in scope in {region}")


def with_fallback(emitted: Iterable[Evidence], fallback: Evidence) -> Iterator[Evidence]:
    """Yield `emitted`, or `fallback` when it was empty (nothing applied)."""
    empty = True
    for item in emitted:
        empty = False
        yield item
    if empty:
        yield fallback


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def policy_context(
    account: str, resource_type: str, resource_arn: str, config: CheckConfig
) -> PolicyContext:
    return PolicyContext(
        account_id=account,
        resource_type=resource_type,
        resource_arn=resource_arn,
        org_id=config.org_id,
        trusted_accounts=config.trusted_accounts,
    )


def judge_document(
    document: str, account: str, resource_type: str, resource_arn: str, config: CheckConfig
) -> Verdict | str:
    """The judge's verdict, or the reason the text could not be read as a policy."""
    try:
        return judge_policy(document, policy_context(account, resource_type, resource_arn, config))
    except PolicyParseError as err:
        return f"the policy is not valid JSON: {err.message}"


def reasons_of(verdict: Verdict, *classes: AccessClass) -> list[dict[str, Any]]:
    """The judge's reasons (with their statements) for the given classes, for `details`."""
    return [
        {
            "statement": r.statement,
            "class": r.access_class.value,
            "detail": r.detail,
            "statement_json": r.statement_json,
        }
        for r in verdict.reasons
        if not classes or r.access_class in classes
    ]
