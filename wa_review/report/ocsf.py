"""Evidence as OCSF Compliance Findings (class 2003), built with the py-ocsf-models library.

Why Compliance Finding and not Detection Finding (2004): every result is the evaluation of one
resource against a documented practice (a WA lens choice), with a pass/warning/fail outcome,
which is what OCSF's Compliance Finding and its `compliance` object describe. A Detection
Finding reports activity a detection engine noticed; wa-review observes configuration, not
activity. See docs/exports.md.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from py_ocsf_models import OCSF_VERSION
from py_ocsf_models.events.findings.activity_id import ActivityID
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from py_ocsf_models.events.findings.compliance_finding_type_id import ComplianceFindingTypeID
from py_ocsf_models.events.findings.severity_id import SeverityID
from py_ocsf_models.events.findings.status_id import StatusID
from py_ocsf_models.objects.account import Account, TypeID
from py_ocsf_models.objects.check import Check
from py_ocsf_models.objects.cloud import Cloud
from py_ocsf_models.objects.compliance import Compliance
from py_ocsf_models.objects.compliance_status import StatusID as ComplianceStatusID
from py_ocsf_models.objects.finding_info import FindingInformation
from py_ocsf_models.objects.metadata import Metadata
from py_ocsf_models.objects.product import Product
from py_ocsf_models.objects.remediation import Remediation
from py_ocsf_models.objects.resource_details import ResourceDetails
from py_ocsf_models.objects.user import User

from wa_review import __version__
from wa_review.diffing.compare import FINDING_STATUSES, FindingKey
from wa_review.diffing.sources import practice_lookup
from wa_review.errors import InputFileError
from wa_review.model.arn import partition, resource_name, resource_type
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.questionnaire import Questionnaire
from wa_review.report.context import CheckLookup

SEVERITY_ID = {
    Severity.CRITICAL: SeverityID.Critical,
    Severity.HIGH: SeverityID.High,
    Severity.MEDIUM: SeverityID.Medium,
    Severity.LOW: SeverityID.Low,
    Severity.INFO: SeverityID.Informational,
}
# OCSF's compliance status: Warning is "no definite result" (our warn: a person must judge);
# an unknown result (the check could not read what it needed) is Unknown, never Pass.
COMPLIANCE_STATUS = {
    Status.FAIL: ComplianceStatusID.Fail,
    Status.WARN: ComplianceStatusID.Warning,
    Status.UNKNOWN: ComplianceStatusID.Unknown,
}
# py-ocsf-models 0.10 models the Compliance Finding without the `cloud` profile's attribute;
# the profile is part of OCSF, so the class is extended with it (and the profile declared).
CLOUD_PROFILE = "cloud"


class CloudComplianceFinding(ComplianceFinding):
    """A Compliance Finding with OCSF's cloud profile: the AWS account and Region it is about."""

    cloud: Cloud


def finding_uid(item: Evidence) -> str:
    """Stable across runs: the same check, account, Region and resource always give the same
    uid (the key `wa-review diff` matches findings by), so a SIEM updates rather than adds."""
    key = FindingKey.of(item)
    text = "\n".join((key.check_id, key.account, key.region, key.resource_arn))
    return "wa-review-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def ocsf_findings(
    evidence_file: EvidenceFile, questionnaire: Questionnaire, *, lookup: CheckLookup
) -> list[CloudComplianceFinding]:
    """One finding per fail, warn or unknown result of the evidence file."""
    when = _collected_at(evidence_file)
    practice_of = practice_lookup([questionnaire])
    product = Product(name="wa-review", vendor_name="wa-review", version=__version__, lang="en")
    found: list[CloudComplianceFinding] = []
    for item in evidence_file.evidence:
        if item.status not in FINDING_STATUSES:
            continue
        meta = lookup(item.check_id)
        practice = practice_of(item)
        severity = meta.severity if meta else None
        account = Account(
            name=item.account, uid=item.account, type_id=TypeID.AWS_Account, type="AWS Account"
        )
        found.append(
            CloudComplianceFinding(
                metadata=Metadata(
                    product=product,
                    version=OCSF_VERSION,
                    profiles=[CLOUD_PROFILE],
                    event_code=item.check_id,
                ),
                class_name="Compliance Finding",  # OCSF's caption (the library gives the enum name)
                activity_id=ActivityID.Create,
                activity_name=ActivityID.Create.name,
                type_uid=ComplianceFindingTypeID.Create,
                type_name=f"Compliance Finding: {ActivityID.Create.name}",
                time=int(when.timestamp() * 1000),
                time_dt=when,
                severity_id=SEVERITY_ID[severity] if severity else SeverityID.Unknown,
                severity=severity.value.capitalize() if severity else "Unknown",
                status_id=StatusID.New,
                status=StatusID.New.name,
                message=item.summary,
                finding_info=FindingInformation(
                    uid=finding_uid(item),
                    title=meta.title if meta else item.check_id,
                    desc=item.summary,
                    types=[f"{questionnaire.short_name.upper()} {practice.title}"],
                ),
                resources=[_resource(item, account)],
                cloud=Cloud(provider="AWS", account=account, region=item.region),
                compliance=Compliance(
                    standards=[f"AWS Well-Architected {questionnaire.lens_alias} lens"],
                    control=f"{questionnaire.short_name.upper()}: {practice.title}",
                    requirements=[practice.choice_id],
                    desc=questionnaire.title,
                    status_id=COMPLIANCE_STATUS[item.status],
                    checks=[
                        Check(
                            uid=item.check_id,
                            name=meta.title if meta else item.check_id,
                            severity_id=SEVERITY_ID[severity] if severity else SeverityID.Unknown,
                            status=item.status.value,
                            status_id=COMPLIANCE_STATUS[item.status],
                        )
                    ],
                ),
                remediation=Remediation(
                    desc=meta.remediation if meta and meta.remediation else "See the check.",
                    references=list(meta.references) if meta and meta.references else None,
                ),
                unmapped={
                    "lens_alias": questionnaire.lens_alias,
                    "question_id": questionnaire.question_id,
                    "practice": practice.title,
                    "choice_id": practice.choice_id,
                    "check_id": item.check_id,
                    "wa_review_status": item.status.value,
                    "details": item.details,
                },
            )
        )
    return found


def render_ocsf(
    evidence_file: EvidenceFile, questionnaire: Questionnaire, *, lookup: CheckLookup
) -> str:
    """The findings as a JSON array (what Security Lake custom sources and SIEMs ingest)."""
    findings = ocsf_findings(evidence_file, questionnaire, lookup=lookup)
    data: list[dict[str, Any]] = [f.model_dump(mode="json", exclude_none=True) for f in findings]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _resource(item: Evidence, account: Account) -> ResourceDetails:
    owner = User(
        name=item.account, uid=item.account, type="AWS account", type_id=99, account=account
    )
    if not item.resource_arn:  # a Region-level result: nothing in scope, or listing failed
        return ResourceDetails(
            name=item.region, type="region", region=item.region, owner=owner, cloud_partition="aws"
        )
    return ResourceDetails(
        uid=item.resource_arn,
        name=resource_name(item.resource_arn),
        type=resource_type(item.resource_arn),
        region=item.region,
        cloud_partition=partition(item.resource_arn),
        owner=owner,
    )


def _collected_at(evidence_file: EvidenceFile) -> datetime:
    try:
        when = datetime.fromisoformat(evidence_file.collected_at)
    except ValueError as err:
        raise InputFileError(
            f"collected_at {evidence_file.collected_at!r} is not an ISO 8601 time",
            hint="The evidence file was edited or damaged; collect again.",
        ) from err
    return when if when.tzinfo else when.replace(tzinfo=UTC)
