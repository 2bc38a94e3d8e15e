"""Names for the keys of the law's data: outcomes, applicant types, reviews and lawsuits.

The keys themselves stay in gongkai/data/annual_report_format.json (the law is data,
read by gongkai.lib.report_format); these enums only give code a name to write instead
of a string literal. Each member's label is the JSON's, read at import, so a key the
JSON drops fails here at once, and tests/lib/test_report_keys.py checks that every
enum lists exactly the JSON's keys, in its order.

The labels are the report's own Chinese wording, not msgids: there is nothing to
translate, and the report must say what the format says.

Usable as model-field or form choices (`Outcome.choices`). The model fields keep the
callables of gongkai.lib.report_format as their choices, which the migrations name and
which yield the same pairs.
"""

from __future__ import annotations

from django.db import models

from gongkai.lib.report_format import (
    applicant_type_choices,
    outcome_choices,
    remedy_kind_choices,
    remedy_result_choices,
)

_OUTCOME = dict(outcome_choices())
_APPLICANT = dict(applicant_type_choices())
_REMEDY_KIND = dict(remedy_kind_choices())
_REMEDY_RESULT = dict(remedy_result_choices())


class Outcome(models.TextChoices):
    """How a request was closed: the data rows under 三、（四）本年度办理结果 (without 总计)."""

    GRANTED = "granted", _OUTCOME["granted"]
    PARTIALLY_GRANTED = "partially_granted", _OUTCOME["partially_granted"]
    DENIED_STATE_SECRET = "denied_state_secret", _OUTCOME["denied_state_secret"]
    DENIED_LAW_PROHIBITED = "denied_law_prohibited", _OUTCOME["denied_law_prohibited"]
    DENIED_THREE_SECURITY_ONE_STABILITY = (
        "denied_three_security_one_stability",
        _OUTCOME["denied_three_security_one_stability"],
    )
    DENIED_THIRD_PARTY_RIGHTS = "denied_third_party_rights", _OUTCOME["denied_third_party_rights"]
    DENIED_INTERNAL_AFFAIRS = "denied_internal_affairs", _OUTCOME["denied_internal_affairs"]
    DENIED_PROCESS_INFO = "denied_process_info", _OUTCOME["denied_process_info"]
    DENIED_ENFORCEMENT_CASE_FILE = (
        "denied_enforcement_case_file",
        _OUTCOME["denied_enforcement_case_file"],
    )
    DENIED_ADMINISTRATIVE_QUERY = (
        "denied_administrative_query",
        _OUTCOME["denied_administrative_query"],
    )
    UNABLE_NOT_HELD = "unable_not_held", _OUTCOME["unable_not_held"]
    UNABLE_NEEDS_CREATION = "unable_needs_creation", _OUTCOME["unable_needs_creation"]
    UNABLE_UNCLEAR_AFTER_CORRECTION = (
        "unable_unclear_after_correction",
        _OUTCOME["unable_unclear_after_correction"],
    )
    NP_PETITION_COMPLAINT = "np_petition_complaint", _OUTCOME["np_petition_complaint"]
    NP_REPEATED = "np_repeated", _OUTCOME["np_repeated"]
    NP_PUBLICATION = "np_publication", _OUTCOME["np_publication"]
    NP_MASSIVE_UNREASONABLE = "np_massive_unreasonable", _OUTCOME["np_massive_unreasonable"]
    NP_CONFIRM_OR_REISSUE = "np_confirm_or_reissue", _OUTCOME["np_confirm_or_reissue"]
    OTHER_OVERDUE_CORRECTION = "other_overdue_correction", _OUTCOME["other_overdue_correction"]
    OTHER_OVERDUE_FEE = "other_overdue_fee", _OUTCOME["other_overdue_fee"]
    OTHER_MISC = "other_misc", _OUTCOME["other_misc"]


# The closings the office records itself when the applicant lets a correction (第三十条)
# or a fee (国办函〔2020〕109号) lapse: written by close_overdue, never chosen in a reply.
OVERDUE_OUTCOMES = (Outcome.OTHER_OVERDUE_CORRECTION, Outcome.OTHER_OVERDUE_FEE)


class ApplicantType(models.TextChoices):
    """Who applied: the applicant columns of table 三 (without 总计)."""

    NATURAL_PERSON = "natural_person", _APPLICANT["natural_person"]
    COMMERCIAL_ENTERPRISE = "commercial_enterprise", _APPLICANT["commercial_enterprise"]
    RESEARCH_INSTITUTION = "research_institution", _APPLICANT["research_institution"]
    PUBLIC_WELFARE_ORG = "public_welfare_org", _APPLICANT["public_welfare_org"]
    LEGAL_SERVICE_ORG = "legal_service_org", _APPLICANT["legal_service_org"]
    OTHER_ORG = "other_org", _APPLICANT["other_org"]


class RemedyKind(models.TextChoices):
    """行政复议, 未经复议直接起诉, 复议后起诉: the column groups of table 四."""

    ADMINISTRATIVE_REVIEW = "administrative_review", _REMEDY_KIND["administrative_review"]
    LITIGATION_DIRECT = "litigation_direct", _REMEDY_KIND["litigation_direct"]
    LITIGATION_AFTER_REVIEW = "litigation_after_review", _REMEDY_KIND["litigation_after_review"]


class RemedyResult(models.TextChoices):
    """结果维持, 结果纠正, 其他结果, 尚未审结: the result columns of each group of table 四."""

    UPHELD = "upheld", _REMEDY_RESULT["upheld"]
    CORRECTED = "corrected", _REMEDY_RESULT["corrected"]
    OTHER = "other", _REMEDY_RESULT["other"]
    PENDING = "pending", _REMEDY_RESULT["pending"]
