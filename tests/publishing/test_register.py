"""The register of normative documents and the entered figures of table 二."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Agency, Kind, Level
from gongkai.publishing import register
from gongkai.publishing.models import DecisionFigures, NormativeDocument, NormativeKind


def doc(agency, **dates):
    fields = {"kind": NormativeKind.NORMATIVE_DOCUMENT, "title": "关于规范某事项的通知"}
    if dates.get("issued_on"):
        fields["doc_no"] = "测政发〔2025〕1号"
    fields.update(dates)
    return NormativeDocument(agency=agency, **fields)


def test_the_yearly_counts_follow_issue_repeal_and_effect_dates(cast):
    save = register.save_document
    save(doc(cast.a, issued_on=date(2025, 3, 1)), actor=cast.officer_a)
    save(doc(cast.a, issued_on=date(2024, 5, 1), repealed_on=date(2025, 6, 1)), actor=None)
    save(doc(cast.a, issued_on=date(2023, 5, 1), expired_on=date(2025, 12, 31)), actor=None)
    save(doc(cast.a, issued_on=date(2025, 12, 20), effective_on=date(2026, 1, 1)), actor=None)
    save(doc(cast.a, issued_on=date(2022, 1, 1), repealed_on=date(2026, 2, 1)), actor=None)
    save(doc(cast.a, drafted_on=date(2025, 2, 1)), actor=None)  # still being drafted
    save(doc(cast.b, issued_on=date(2025, 1, 5)), actor=None)  # another agency

    counts = register.normative_counts([cast.a.pk], 2025)

    assert counts["normative_documents"] == {"issued": 2, "repealed": 2, "in_force": 2}
    assert counts["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    both = register.normative_counts([cast.a.pk, cast.b.pk], 2025)
    assert both["normative_documents"]["issued"] == 3


def test_only_provincial_and_city_governments_make_regulations(cast):
    with pytest.raises(ActionError) as raised:
        register.save_document(
            doc(cast.county, kind=NormativeKind.REGULATION, issued_on=date(2025, 1, 1)),
            actor=None,
        )
    assert "kind" in raised.value.message_dict
    city = Agency.objects.create(
        code="c", name="某市人民政府", level=Level.CITY, kind=Kind.GOVERNMENT
    )
    saved = register.save_document(
        doc(city, kind=NormativeKind.REGULATION, issued_on=date(2025, 1, 1)), actor=None
    )
    assert register.normative_counts([city.pk], 2025)["regulations"]["issued"] == 1
    assert NormativeDocument.objects.get(agency=city) == saved
    assert (saved.kind, saved.issued_on) == (NormativeKind.REGULATION, date(2025, 1, 1))


def test_dates_out_of_order_and_a_missing_number_are_reported_per_field(cast):
    bad = doc(
        cast.a,
        drafted_on=date(2025, 3, 1),
        legality_reviewed_on=date(2025, 2, 1),
        issued_on=date(2025, 4, 1),
        repealed_on=date(2025, 1, 1),
    )
    bad.doc_no = ""
    with pytest.raises(ActionError) as raised:
        register.save_document(bad, actor=cast.officer_a)
    assert set(raised.value.message_dict) == {"legality_reviewed_on", "repealed_on", "doc_no"}
    assert "2025-03-01" in raised.value.message_dict["legality_reviewed_on"][0]
    assert not NormativeDocument.objects.exists()


def test_another_agencys_officer_cannot_register(cast):
    with pytest.raises(ActionError):
        register.save_document(doc(cast.a, issued_on=date(2025, 1, 1)), actor=cast.officer_b)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(date(2020, 1, 1), date(2027, 12, 31)),
            st.one_of(st.none(), st.integers(0, 2000)),
            st.one_of(st.none(), st.integers(0, 2000)),
        ),
        max_size=12,
    ),
    st.integers(2021, 2026),
)
@pytest.mark.django_db
def test_counts_match_a_direct_count_over_the_register(documents, year):
    from datetime import timedelta

    agency, _ = Agency.objects.get_or_create(
        code="h", defaults={"name": "假设局", "level": Level.COUNTY, "kind": Kind.DEPARTMENT}
    )
    NormativeDocument.objects.filter(agency=agency).delete()
    rows = []
    for issued, repeal_after, effect_after in documents:
        repealed = None if repeal_after is None else issued + timedelta(repeal_after)
        effective = issued if effect_after is None else issued + timedelta(effect_after)
        NormativeDocument.objects.create(
            agency=agency,
            kind=NormativeKind.NORMATIVE_DOCUMENT,
            title="x",
            doc_no="1",
            issued_on=issued,
            repealed_on=repealed,
            effective_on=None if effect_after is None else effective,
        )
        rows.append((issued, repealed, effective))
    end = date(year, 12, 31)
    expected = {
        "issued": sum(issued.year == year for issued, _r, _e in rows),
        "repealed": sum(r is not None and r.year == year for _i, r, _e in rows),
        "in_force": sum(e <= end and (r is None or r > end) for _i, r, e in rows),
    }
    assert register.normative_counts([agency.pk], year)["normative_documents"] == expected


def test_figures_are_saved_once_per_agency_and_year_with_labels_from_the_format(cast):
    register.save_figures(cast.a, 2025, actor=cast.officer_a, licensing_decisions=12)
    register.save_figures(
        cast.a, 2025, actor=cast.head_a, penalty_decisions=3, fee_amount=Decimal("1.25")
    )
    figures = DecisionFigures.objects.get(agency=cast.a, year=2025)
    assert (figures.licensing_decisions, figures.penalty_decisions, figures.fee_amount) == (
        12,
        3,
        Decimal("1.25"),
    )
    labels = register.figure_labels()
    assert labels["fee_amount"] == "行政事业性收费（本年收费金额（单位：万元））"
    assert labels["coercion_decisions"].startswith("行政强制")
    with pytest.raises(ActionError):
        register.save_figures(cast.a, 2025, actor=cast.officer_a, penalty_decisions=-1)
    with pytest.raises(ActionError):
        register.save_figures(cast.a, 2025, actor=cast.officer_b, penalty_decisions=1)
