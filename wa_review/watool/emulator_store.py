"""WA Tool emulator state: workloads, answers, milestones, and the validation the service does."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wa_review.watool.emulator_lens import WELLARCHITECTED, Lens, default_lenses

Params = dict[str, Any]
Handler = Callable[[Params], dict[str, Any]]

ERROR_STATUS = {
    "ValidationException": 400,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ConflictException": 409,
    "ServiceQuotaExceededException": 402,
    "ThrottlingException": 429,
    "InternalServerException": 500,
    "UnknownOperationException": 404,
}
CHOICE_STATUSES = ("SELECTED", "UNSELECTED", "NOT_APPLICABLE")
REASONS = ("OUT_OF_SCOPE", "BUSINESS_PRIORITIES", "ARCHITECTURE_CONSTRAINTS", "OTHER", "NONE")
ENVIRONMENTS = ("PRODUCTION", "PREPRODUCTION")
MILESTONES_MAX = 100
REGIONS_MAX = 50  # AwsRegions per workload (service model)
LENSES_MAX = 20  # lenses per workload (AWS's quotas page)
_WORKLOAD_ID = re.compile(r"^[0-9a-f]{32}$")  # the model's WorkloadId pattern
_LENS_ARN = re.compile(r"^arn:aws[\w-]*:wellarchitected:[\w-]*:(?:aws)?:lens/([\w-]+)$")


class EmulatedError(Exception):
    """An error the emulator answers in the REST-JSON shape (`x-amzn-ErrorType` + JSON body)."""

    def __init__(self, code: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields
        self.status = ERROR_STATUS.get(code, 400)

    def body(self) -> dict[str, Any]:
        return {"Message": self.message, "message": self.message, **self.fields}


def invalid(name: str, message: str) -> EmulatedError:
    return EmulatedError(
        "ValidationException",
        f"{name}: {message}",
        Reason="FIELD_VALIDATION_FAILED",
        Fields=[{"Name": name, "Message": message}],
    )


def check_length(name: str, value: Any, low: int, high: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise invalid(name, "must be a string")
    if not low <= len(value) <= high:
        raise invalid(name, f"length {len(value)} is outside {low}..{high}")


def check_enum(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise invalid(name, f"'{value}' is not one of {', '.join(allowed)}")


def require(params: Params, name: str) -> Any:
    if params.get(name) in (None, "", []):
        raise invalid(name, "is required")
    return params[name]


def quota(what: str, limit: int, code: str) -> EmulatedError:
    return EmulatedError(
        "ServiceQuotaExceededException",
        f"{what} quota ({limit}) reached.",
        QuotaCode=code,
        ServiceCode="wellarchitected",
    )


def check_regions_and_accounts(params: Params) -> None:
    if len(params.get("AwsRegions") or []) > REGIONS_MAX:
        raise invalid("AwsRegions", f"at most {REGIONS_MAX} AWS Regions")
    accounts = params.get("AccountIds") or []
    if len(accounts) > 100:
        raise invalid("AccountIds", "at most 100 account ids")
    for account in accounts:
        if not re.fullmatch(r"[0-9]{12}", str(account)):
            raise invalid("AccountIds", f"{account!r} is not a 12-digit account id")


def normalise_name(name: str) -> str:
    """The service ignores spaces and capitalisation when it checks workload names."""
    return "".join(name.split()).casefold()


def page(
    items: list[Any], params: Params, *, default: int = 50, maximum: int = 50
) -> tuple[list[Any], str | None]:
    """One page and the next token; tokens are opaque offsets."""
    size = params.get("MaxResults", default)
    if not isinstance(size, int) or not 1 <= size <= maximum:
        raise invalid("MaxResults", f"MaxResults must be between 1 and {maximum}")
    start = 0
    if params.get("NextToken"):
        try:
            start = int(base64.urlsafe_b64decode(str(params["NextToken"]).encode()).decode())
        except (ValueError, binascii.Error) as err:
            raise invalid("NextToken", "is not a token this service issued") from err
    chunk = items[start : start + size]
    more = start + size < len(items)
    token = base64.urlsafe_b64encode(str(start + size).encode()).decode() if more else None
    return chunk, token


@dataclass
class ChoiceState:
    status: str = "UNSELECTED"
    reason: str | None = None
    notes: str = ""


@dataclass
class AnswerState:
    choices: dict[str, ChoiceState] = field(default_factory=dict)
    notes: str = ""
    is_applicable: bool = True
    reason: str | None = None

    def statuses(self) -> dict[str, str]:
        return {cid: c.status for cid, c in self.choices.items()}


@dataclass
class Milestone:
    number: int
    name: str
    recorded_at: float
    answers: dict[tuple[str, str], AnswerState]
    lenses: dict[str, Lens] = field(default_factory=dict)  # the lens version each review was on


@dataclass
class Workload:
    workload_id: str
    arn: str
    name: str
    description: str
    environment: str
    review_owner: str
    aws_regions: list[str]
    lenses: list[str]
    notes: str
    updated_at: float
    not_found_left: int = 0
    region: str = "us-east-1"
    owner: str = "123456789012"  # the owning account (Owner in the API)
    read_only: bool = False  # shared with the caller's account with READONLY permission
    account_ids: list[str] = field(default_factory=list)
    answers: dict[tuple[str, str], AnswerState] = field(default_factory=dict)
    milestones: list[Milestone] = field(default_factory=list)
    upgraded: dict[str, Lens] = field(default_factory=dict)  # alias -> the version upgraded to

    def summary(self) -> dict[str, Any]:
        return {
            "WorkloadId": self.workload_id,
            "WorkloadArn": self.arn,
            "WorkloadName": self.name,
            "Owner": self.owner,
            "UpdatedAt": self.updated_at,
            "Lenses": list(self.lenses),
            "ImprovementStatus": "NOT_STARTED",
        }


class WaToolState:
    """Everything the emulator remembers; handlers take botocore member names, return outputs."""

    def __init__(
        self,
        *,
        lenses: Mapping[str, Lens] | None = None,
        not_found_window: int = 0,
        region: str = "us-east-1",
        account_id: str = "123456789012",
    ) -> None:
        self.lenses: dict[str, Lens] = dict(lenses or default_lenses())
        self.not_found_window = not_found_window
        self.region = region
        self.account_id = account_id
        # alias -> the lens version UpgradeLensReview moves a review to (default: `upgraded_lens`)
        self.latest: dict[str, Lens] = {}
        self.workloads: dict[str, Workload] = {}
        self._tokens: dict[str, str] = {}
        self.milestone_tokens: dict[str, tuple[str, int]] = {}
        self.upgrade_tokens: dict[str, tuple[str, str, str]] = {}

    # -- lookups -----------------------------------------------------------------------------

    def lens_alias(self, params: Params, name: str = "LensAlias") -> str:
        """A LensAlias parameter: the alias, or the lens ARN (both are accepted)."""
        value = str(require(params, name))
        arn = _LENS_ARN.match(value)
        return arn.group(1) if arn else value

    def workload(self, params: Params) -> Workload:
        """The addressed workload in the request's Region (ids are unique per Region); answers
        ResourceNotFound during the window after creation."""
        workload_id = str(require(params, "WorkloadId"))
        if not _WORKLOAD_ID.match(workload_id):
            raise invalid("WorkloadId", f"{workload_id!r} does not match [0-9a-f]{{32}}")
        found = self.workloads.get(workload_id)
        if found is not None and found.region != self.region:
            found = None
        if found is None or found.not_found_left > 0:
            if found is not None:
                found.not_found_left -= 1
            raise EmulatedError(
                "ResourceNotFoundException",
                f"No workload with ID {workload_id} was found.",
                ResourceId=workload_id,
                ResourceType="WORKLOAD",
            )
        return found

    def writable(self, params: Params, operation: str) -> Workload:
        """The addressed workload for a write; one shared read-only refuses it."""
        w = self.workload(params)
        if w.read_only:
            raise EmulatedError(
                "AccessDeniedException",
                f"User is not authorized to perform: wellarchitected:{operation} on resource: "
                f"{w.arn}: the workload is shared with this account with READONLY permission.",
            )
        return w

    def lens(self, workload: Workload, alias: str) -> Lens:
        """The lens version the workload's review is on: the one it was upgraded to, if any."""
        lens = workload.upgraded.get(alias) or self.lenses.get(alias)
        if lens is None or alias not in workload.lenses:
            raise EmulatedError(
                "ResourceNotFoundException",
                f"No lens review for lens {alias} on workload {workload.workload_id}.",
                ResourceId=alias,
                ResourceType="LENS",
            )
        return lens

    # -- workloads ---------------------------------------------------------------------------

    def list_workloads(self, params: Params) -> dict[str, Any]:
        prefix = str(params.get("WorkloadNamePrefix") or "")
        check_length("WorkloadNamePrefix", prefix or None, 1, 100)
        matches = [
            w.summary()
            for w in sorted(self.workloads.values(), key=lambda w: w.name.casefold())
            if w.region == self.region and w.name.casefold().startswith(prefix.casefold())
        ]
        chunk, token = page(matches, params)
        return {"WorkloadSummaries": chunk, **({"NextToken": token} if token else {})}

    def create_workload(self, params: Params) -> dict[str, Any]:
        name = str(require(params, "WorkloadName"))
        check_length("WorkloadName", name, 3, 100)
        check_length("Description", require(params, "Description"), 3, 250)
        check_enum("Environment", require(params, "Environment"), ENVIRONMENTS)
        check_length("ReviewOwner", require(params, "ReviewOwner"), 3, 255)
        check_length("Notes", params.get("Notes"), 0, 2084)
        lenses = [self.lens_alias({"L": alias}, "L") for alias in require(params, "Lenses")]
        if not params.get("AwsRegions") and not params.get("NonAwsRegions"):
            raise invalid("AwsRegions", "Either AwsRegions, NonAwsRegions, or both must be set")
        check_regions_and_accounts(params)
        if len(set(lenses) | {WELLARCHITECTED}) > LENSES_MAX:
            raise quota("Lenses per workload", LENSES_MAX, "L-66BC6D27")
        for alias in lenses:
            if alias not in self.lenses:
                raise invalid("Lenses", f"Lens {alias} is not available")
        token = str(params.get("ClientRequestToken") or "")
        if token and token in self._tokens:
            known = self.workloads[self._tokens[token]]
            return {"WorkloadId": known.workload_id, "WorkloadArn": known.arn}
        key = normalise_name(name)
        for other in self.workloads.values():
            if other.region == self.region and normalise_name(other.name) == key:
                raise EmulatedError(
                    "ConflictException",
                    f"A workload named {other.name!r} already exists.",
                    ResourceId=other.workload_id,
                    ResourceType="WORKLOAD",
                )
        seed = f"{name}|{token}|{len(self.workloads)}|{time.time_ns()}"
        workload_id = hashlib.sha256(seed.encode()).hexdigest()[:32]
        arn = f"arn:aws:wellarchitected:{self.region}:{self.account_id}:workload/{workload_id}"
        self.workloads[workload_id] = Workload(
            workload_id=workload_id,
            arn=arn,
            name=name,
            description=str(params["Description"]),
            environment=str(params["Environment"]),
            review_owner=str(params["ReviewOwner"]),
            aws_regions=list(params.get("AwsRegions") or []),
            lenses=list(dict.fromkeys([WELLARCHITECTED, *lenses])),
            notes=str(params.get("Notes") or ""),
            updated_at=time.time(),
            not_found_left=self.not_found_window,
            region=self.region,
            owner=self.account_id,
            account_ids=list(params.get("AccountIds") or []),
        )
        if token:
            self._tokens[token] = workload_id
        return {"WorkloadId": workload_id, "WorkloadArn": arn}

    def get_workload(self, params: Params) -> dict[str, Any]:
        w = self.workload(params)
        return {
            "Workload": {
                **w.summary(),
                "Description": w.description,
                "Environment": w.environment,
                "ReviewOwner": w.review_owner,
                "AwsRegions": list(w.aws_regions),
                "AccountIds": list(w.account_ids),
                "Notes": w.notes,
            }
        }

    def update_workload(self, params: Params) -> dict[str, Any]:
        """UpdateWorkload: the fields given replace the stored ones (lists whole)."""
        w = self.writable(params, "UpdateWorkload")
        check_regions_and_accounts(params)
        check_length("Description", params.get("Description"), 3, 250)
        check_length("ReviewOwner", params.get("ReviewOwner"), 3, 255)
        check_enum("Environment", params.get("Environment"), ENVIRONMENTS)
        for member, attribute in (
            ("AwsRegions", "aws_regions"),
            ("AccountIds", "account_ids"),
            ("Description", "description"),
            ("ReviewOwner", "review_owner"),
            ("Environment", "environment"),
        ):
            if params.get(member) is not None:
                setattr(w, attribute, params[member])
        w.updated_at = time.time()
        return self.get_workload(params)

    def get_lens(self, params: Params) -> dict[str, Any]:
        """GetLens: an AWS lens, read without any workload."""
        alias = self.lens_alias(params)
        lens = self.lenses.get(alias)
        if lens is None:
            raise EmulatedError(
                "ResourceNotFoundException",
                f"No lens with alias {alias} was found.",
                ResourceId=alias,
                ResourceType="LENS",
            )
        return {
            "Lens": {
                "LensArn": lens.arn(self.region),
                "LensVersion": lens.version,
                "Name": lens.name,
                "Description": lens.name,
                "Owner": "AWS",
            }
        }

    def associate_lenses(self, params: Params) -> dict[str, Any]:
        w = self.writable(params, "AssociateLenses")
        aliases = [self.lens_alias({"L": a}, "L") for a in require(params, "LensAliases")]
        if len(aliases) > 10:
            raise invalid("LensAliases", "Up to 10 lenses can be associated in one call")
        for alias in aliases:
            if alias not in self.lenses:
                raise invalid("LensAliases", f"Lens {alias} is not available")
        lenses = list(dict.fromkeys([*w.lenses, *aliases]))
        if len(lenses) > LENSES_MAX:
            raise quota("Lenses per workload", LENSES_MAX, "L-66BC6D27")
        w.lenses = lenses
        w.updated_at = time.time()
        return {}

    def review_lenses(self, w: Workload) -> dict[str, Lens]:
        """Every lens review of the workload, at the version it is on now."""
        return {alias: self.lens(w, alias) for alias in w.lenses if alias in self.lenses}

    def lens_at(self, w: Workload, alias: str, params: Params) -> Lens:
        """The lens of the live review, or the version the named milestone recorded."""
        lens = self.lens(w, alias)
        if params.get("MilestoneNumber") is None:
            return lens
        return self.milestone(w, params["MilestoneNumber"]).lenses.get(alias, lens)

    def answers_at(self, w: Workload, params: Params) -> dict[tuple[str, str], AnswerState]:
        """The live answers, or those recorded by the milestone the request names."""
        number = params.get("MilestoneNumber")
        if number is None:
            return w.answers
        return self.milestone(w, number).answers

    def milestone(self, w: Workload, number: Any) -> Milestone:
        for milestone in w.milestones:
            if milestone.number == number:
                return milestone
        raise EmulatedError(
            "ResourceNotFoundException",
            f"No milestone {number} on workload {w.workload_id}.",
            ResourceId=str(number),
            ResourceType="MILESTONE",
        )
