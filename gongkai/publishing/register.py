"""The register of 规章 and 行政规范性文件, and the other figures of table 二.

`normative_counts` gives table t2_art20_1 for one or several agencies and a year, counted
in SQL from the register's dates:
- 本年制发件数: issued in the year;
- 本年废止件数: repealed or declared expired in the year (once, when it first ended);
- 现行有效件数: in force on 31 December (in force from on or before it, or issued on or
  before it when no date of effect is recorded) and neither repealed nor expired by then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, DateField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.lib.report_format import table
from gongkai.orgs.access import has_role
from gongkai.orgs.locks import check_unlocked
from gongkai.orgs.models import Agency, Kind, Level, Role, User
from gongkai.publishing.library import sync_validity
from gongkai.publishing.models import DecisionFigures, NormativeDocument, NormativeKind

# 《立法法》第九十三条: 规章 are made by the governments of provinces and of 设区的市.
REGULATION_LEVELS = (Level.PROVINCE, Level.CITY)

# The order the steps of a document happen in; a later step cannot predate an earlier one.
STEP_ORDER = ("drafted_on", "legality_reviewed_on", "deliberated_on", "issued_on")
ROW_KEYS = {
    NormativeKind.REGULATION: "regulations",
    NormativeKind.NORMATIVE_DOCUMENT: "normative_documents",
}


def can_issue_regulations(agency: Agency) -> bool:
    return agency.kind == Kind.GOVERNMENT and agency.level in REGULATION_LEVELS


def check_document(doc: NormativeDocument) -> dict[str, str]:
    """Field → message for each inconsistency; empty when the record is coherent."""
    errors: dict[str, str] = {}
    if doc.kind == NormativeKind.REGULATION and not can_issue_regulations(doc.agency):
        errors["kind"] = _(
            "Only the people's government of a province or of a city with districts makes "
            "government rules (规章); register this as a normative document."
        )
    previous: tuple[str, date] | None = None
    for name in STEP_ORDER:
        value = getattr(doc, name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            errors[name] = _("This date is before %(step)s (%(date)s).") % {
                "step": getattr(NormativeDocument._meta.get_field(previous[0]), "verbose_name", ""),
                "date": previous[1].isoformat(),
            }
        previous = (name, value)
    later_steps = ("filed_on", "effective_on", "amended_on", "repealed_on", "expired_on")
    for name in later_steps:
        value = getattr(doc, name)
        if value is not None and doc.issued_on is None:
            errors[name] = _("Record the issue date first.")
        elif value is not None and doc.issued_on is not None and value < doc.issued_on:
            errors[name] = _("This date is before the issue date (%(date)s).") % {
                "date": doc.issued_on.isoformat()
            }
    if doc.valid_until is not None and doc.effective_on and doc.valid_until < doc.effective_on:
        errors["valid_until"] = _("The period of validity ends before the document is in force.")
    if doc.item is not None and doc.item.agency_id != doc.agency_id:
        errors["kind"] = _("The catalog item belongs to another agency.")
    if doc.issued_on is not None and not doc.doc_no.strip():
        errors["doc_no"] = _("An issued document has a document number (文号).")
    return errors


def _require_staff(actor: User | None, agency: Agency) -> None:
    if actor is not None and not has_role(actor, agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise ActionError(_("Only the agency's disclosure staff may do this."))


# The fields table 二 counts a document by: a change of one of them changes the report.
COUNTED_FIELDS = ("kind", "issued_on", "effective_on", "repealed_on", "expired_on")


def _check_unlocked(doc: NormativeDocument) -> None:
    """Refuse a change that would alter an approved or published annual report."""
    dates_of = ("issued_on", "effective_on", "repealed_on", "expired_on")
    before = NormativeDocument.objects.filter(pk=doc.pk).first() if doc.pk else None
    changed = [f for f in COUNTED_FIELDS if before is None or getattr(before, f) != getattr(doc, f)]
    if not changed:
        return
    # A new document, or a new kind, counts by every date; otherwise by the dates changed.
    fields = dates_of if before is None or "kind" in changed else changed
    dates = [getattr(d, f) for d in (doc, before) if d is not None for f in fields]
    dates = [d for d in dates if d is not None]
    if dates:
        check_unlocked(doc.agency, min(dates))


@transaction.atomic
def save_document(doc: NormativeDocument, *, actor: User | None) -> NormativeDocument:
    _require_staff(actor, doc.agency)
    errors = check_document(doc)
    if errors:
        raise ActionError(errors)
    _check_unlocked(doc)
    created = doc.pk is None
    if created:
        doc.created_by = actor
    doc.save()
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=doc,
        agency=doc.agency,
        detail={"step": "normative_created" if created else "normative_changed"},
    )
    sync_validity(doc, actor=actor)
    return doc


def _predicates(year: int) -> dict[str, Q]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return {
        "issued": Q(issued_on__range=(start, end)),
        # A document both repealed and declared expired counts once, when it first ended.
        "repealed": Q(ended_first__range=(start, end)),
        "in_force": Q(issued_on__lte=end, effective_from__lte=end)
        & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
        & (Q(expired_on__isnull=True) | Q(expired_on__gt=end)),
    }


def _documents(agency_ids: Iterable[int]) -> QuerySet[NormativeDocument]:
    never = Value(date(9999, 12, 31), output_field=DateField())
    return NormativeDocument.objects.filter(agency_id__in=list(agency_ids)).annotate(
        effective_from=Coalesce("effective_on", "issued_on"),
        ended_first=Least(Coalesce("repealed_on", never), Coalesce("expired_on", never)),
    )


def normative_counts(agency_ids: Iterable[int], year: int) -> dict[str, dict[str, int]]:
    """Table t2_art20_1 for the agencies and year: {row key: {column key: count}}."""
    predicates = _predicates(year)
    rows = (
        _documents(agency_ids)
        .values("kind")
        .annotate(**{name: Count("id", filter=q) for name, q in predicates.items()})
        .order_by()
    )
    result = {key: dict.fromkeys(predicates, 0) for key in ROW_KEYS.values()}
    for row in rows:
        result[ROW_KEYS[row["kind"]]] = {k: row[k] for k in predicates}
    return result


def normative_records(
    agency_ids: Iterable[int], year: int, row: str, column: str
) -> QuerySet[NormativeDocument]:
    """The documents one cell of t2_art20_1 counts."""
    kind = next(k for k, key in ROW_KEYS.items() if key == row)
    return _documents(agency_ids).filter(_predicates(year)[column], kind=kind)


FIGURE_FIELDS = {
    # (table, row key) of annual_report_format.json → DecisionFigures field
    ("t2_art20_5", "administrative_licensing"): "licensing_decisions",
    ("t2_art20_6", "administrative_penalty"): "penalty_decisions",
    ("t2_art20_6", "administrative_coercion"): "coercion_decisions",
    ("t2_art20_8", "administrative_fees"): "fee_amount",
}


def figure_labels() -> dict[str, str]:
    """Field → its label in the report format (labels are never retyped)."""

    labels = {}
    for (table_id, row_key), field in FIGURE_FIELDS.items():
        spec = table(table_id)
        row = next(r for r in spec["rows"] if r["key"] == row_key)
        labels[field] = f"{row['label']}（{spec['columns'][0]['label']}）"
    return labels


@transaction.atomic
def save_figures(
    agency: Agency, year: int, *, actor: User | None, **values: Any
) -> DecisionFigures:
    _require_staff(actor, agency)
    unknown = set(values) - set(FIGURE_FIELDS.values())
    if unknown:
        raise ActionError(_("Unknown figures: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in values.items():
        if value is not None and value < 0:
            raise ActionError({name: _("Figures cannot be negative.")})
    check_unlocked(agency, date(year, 12, 31))
    figures, _created = DecisionFigures.objects.select_for_update().get_or_create(
        agency=agency, year=year
    )
    for name, value in values.items():
        setattr(figures, name, value)
    figures.updated_by = actor
    figures.save()
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=figures,
        agency=agency,
        detail={"step": "figures", "year": year},
    )
    return figures
