"""Table 三 and 四 counted from case histories; every identity of the format holds."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual import validate
from gongkai.annual.compute import Scope, cell_records, compute, table_three
from gongkai.annual.report import build
from gongkai.foi.models import Application, Event, EventKind, Remedy
from gongkai.lib.report_keys import ApplicantType, Outcome, RemedyKind, RemedyResult
from gongkai.orgs.models import Agency, Kind, Level

_seq = iter(range(1, 10**9))


def case(agency, received: date, applicant: str = ApplicantType.NATURAL_PERSON, closed=None):
    """An application received on `received`; `closed` = (date, kind, outcome) or None."""
    n = next(_seq)
    application = Application.objects.create(
        agency=agency,
        number=f"T-{n}",
        year=received.year,
        seq=n,
        channel="online",
        submitted_on=received,
        received_on=received,
        applicant_type=applicant,
        applicant_name="测试",
        description="测试",
        provision_form="electronic",
        delivery="email",
    )
    Event.objects.create(application=application, kind=EventKind.RECEIVED, on=received)
    if closed is not None:
        on, kind, outcome = closed
        data = {"outcome": outcome} if kind != EventKind.WITHDRAWN else {}
        Event.objects.create(application=application, kind=kind, on=on, data=data)
    return application


def test_a_year_counted_from_events(cast):
    a = cast.a
    case(a, date(2024, 12, 20))  # carried over, still open → also carried forward
    case(a, date(2024, 11, 1), closed=(date(2025, 1, 10), EventKind.REPLIED, Outcome.GRANTED))
    case(a, date(2024, 3, 1), closed=(date(2024, 4, 1), EventKind.REPLIED, Outcome.GRANTED))
    case(a, date(2025, 2, 1), ApplicantType.COMMERCIAL_ENTERPRISE,
         closed=(date(2025, 2, 20), EventKind.REPLIED, Outcome.UNABLE_NOT_HELD))  # fmt: skip
    case(a, date(2025, 5, 1), closed=(date(2025, 5, 3), EventKind.WITHDRAWN, ""))
    case(a, date(2025, 12, 30), ApplicantType.OTHER_ORG,
         closed=(date(2026, 1, 5), EventKind.REPLIED, Outcome.GRANTED))  # fmt: skip
    case(cast.b, date(2025, 3, 1))  # another agency
    t3 = table_three(Scope((a.pk,), 2025))
    assert t3["new_received"]["total"] == 3
    assert t3["carried_over"]["natural_person"] == 2
    assert t3["granted"]["natural_person"] == 1
    assert t3["unable_not_held"]["commercial_enterprise"] == 1
    assert t3["other_misc"]["natural_person"] == 1
    assert t3["total_processed"]["total"] == 3
    assert t3["carried_forward"] == {**dict.fromkeys(t3["carried_forward"], 0),
                                     "natural_person": 1, "other_org": 1, "total": 2}  # fmt: skip
    assert validate.check_identities(compute(Scope((a.pk,), 2025))) == []
    drilled = cell_records(Scope((a.pk,), 2025), "t3_applications", "carried_forward", "total")
    assert drilled.count() == 2
    withdrawn = cell_records(
        Scope((a.pk,), 2025), "t3_applications", "other_misc", "natural_person"
    )
    assert withdrawn.get().received_on == date(2025, 5, 1)


def test_reviews_and_lawsuits_with_their_result_at_the_year_end(cast):
    application = case(cast.a, date(2025, 1, 5))
    for kind, filed, decided, result in [
        (RemedyKind.ADMINISTRATIVE_REVIEW, date(2025, 3, 1), date(2025, 5, 1), RemedyResult.UPHELD),
        (
            RemedyKind.ADMINISTRATIVE_REVIEW,
            date(2025, 10, 1),
            date(2026, 1, 20),
            RemedyResult.CORRECTED,
        ),
        (RemedyKind.LITIGATION_DIRECT, date(2025, 6, 1), None, RemedyResult.PENDING),
        (
            RemedyKind.LITIGATION_AFTER_REVIEW,
            date(2024, 6, 1),
            date(2025, 1, 1),
            RemedyResult.UPHELD,
        ),  # 2024
    ]:
        Remedy.objects.create(application=application, kind=kind, body="复议机关",
                              filed_on=filed, decided_on=decided, result=result)  # fmt: skip
    cases = compute(Scope((cast.a.pk,), 2025))["t4_review_litigation"]["cases"]
    assert (cases["review_upheld"], cases["review_pending"], cases["review_total"]) == (1, 1, 2)
    assert (cases["lit_direct_pending"], cases["lit_direct_total"]) == (1, 1)
    assert cases["lit_after_review_total"] == 0
    assert validate.check_identities(compute(Scope((cast.a.pk,), 2025))) == []
    pending = cell_records(
        Scope((cast.a.pk,), 2025), "t4_review_litigation", "cases", "review_pending"
    )
    assert pending.get().filed_on == date(2025, 10, 1)


histories = st.lists(
    st.tuples(
        st.dates(date(2023, 1, 1), date(2026, 12, 31)),
        st.sampled_from(ApplicantType.values),
        st.one_of(
            st.none(),
            st.tuples(
                st.integers(0, 400),
                st.sampled_from(
                    [EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.CLOSED_UNANSWERED]
                ),
                st.sampled_from(Outcome.values),
            ),
        ),
    ),
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories, st.integers(2024, 2026))
@pytest.mark.django_db
def test_every_identity_holds_and_carry_over_matches_last_year(history, year):
    agency, _ = Agency.objects.get_or_create(
        code="hyp", defaults={"name": "假设局", "level": Level.COUNTY, "kind": Kind.DEPARTMENT}
    )
    Application.objects.filter(agency=agency).delete()
    for received, applicant, closing in history:
        closed = None
        if closing is not None:
            days, kind, outcome = closing
            closed = (received + timedelta(days), kind, outcome)
        case(agency, received, applicant, closed)
    report = build(agency, year)
    assert [f for f in report.findings if f["severity"] == "error"] == []
    assert not [f for f in report.findings if f["id"] == "X-YEAR-CARRY"]
    t3 = report.tables["t3_applications"]
    expected_new = sum(r.year == year for r, _a, _c in history)
    assert t3["new_received"]["total"] == expected_new
    for row, cells in t3.items():
        for column, value in cells.items():
            if column != "total" and row != "total_processed":
                drilled = cell_records(Scope((agency.pk,), year), "t3_applications", row, column)
                assert drilled.count() == value, (row, column)


def test_a_broken_table_is_reported_cell_by_cell(cast):
    tables = compute(Scope((cast.a.pk,), 2025))
    tables["t3_applications"]["new_received"]["natural_person"] = 2
    tables["t4_review_litigation"]["cases"]["review_upheld"] = -1
    ids = {(f.id, f.col) for f in validate.check_identities(tables)}
    assert ("T3-BALANCE", "natural_person") in ids
    assert ("T3-ROW-TOTAL", "total") in ids
    assert ("NONNEG", "review_upheld") in ids
    assert ("T4-REVIEW-TOTAL", "review_total") in ids


def test_the_command_writes_json_with_the_format_keys(cast, tmp_path):
    case(cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED))
    case(cast.b, date(2025, 2, 1))
    out = tmp_path / "r.json"
    call_command("annual_report", agency="a", year=2025, output=str(out))
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == "2021" and data["year"] == 2025 and data["agency"] == cast.a.name
    assert data["tables"]["t3_applications"]["granted"]["natural_person"] == 1
    assert {f["id"] for f in data["findings"]} == {"T2-FIGURES-MISSING"}
    stdout = StringIO()
    call_command("annual_report", agency="county", year=2025, rollup=True, stdout=stdout)
    rollup = json.loads(stdout.getvalue())
    assert rollup["tables"]["t3_applications"]["new_received"]["total"] == 2
    with pytest.raises(CommandError):
        call_command("annual_report", agency="nope", year=2025)


def test_the_first_closing_event_counts_when_a_case_was_closed_twice(cast):
    application = case(
        cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED)
    )
    # Closed again the same day and later (a corrected reply): the first one counts.
    Event.objects.create(
        application=application, kind=EventKind.REPLIED, on=date(2025, 2, 9),
        data={"outcome": "partially_granted"},
    )  # fmt: skip
    Event.objects.create(
        application=application, kind=EventKind.WITHDRAWN, on=date(2026, 1, 3), data={}
    )
    t3 = table_three(Scope((cast.a.pk,), 2025))
    assert t3["granted"]["total"] == 1 and t3["partially_granted"]["total"] == 0
    assert t3["total_processed"]["total"] == 1 and t3["carried_forward"]["total"] == 0
    assert validate.check_identities(compute(Scope((cast.a.pk,), 2025))) == []
    scope = Scope((cast.a.pk,), 2025)
    assert cell_records(scope, "t3_applications", "granted", "total").count() == 1
    assert cell_records(scope, "t3_applications", "partially_granted", "total").count() == 0
