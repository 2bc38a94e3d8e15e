import pytest

from gongkai.evaluation import measures
from gongkai.evaluation.measures import Period
from gongkai.workdays.loading import get_calendar


@pytest.mark.django_db
def test_every_measure_runs_grouped_for_many_agencies(cast, django_assert_max_num_queries):
    # One query per measure, plus small ones whatever the number of agencies: the hotline
    # limits in use (1); for proposal_timeliness the answer dates present (1) and the
    # working-day calendar's version check (2; loaded once per process, here beforehand).
    get_calendar()
    with django_assert_max_num_queries(len(measures.MEASURES) + 4):
        result = measures.values(measures.MEASURES, [cast.a.pk, cast.b.pk], Period.year(2025))
    assert set(result) == set(measures.MEASURES)
    for key in measures.MEASURES:
        assert measures.drilldown(key, [cast.a.pk], Period.year(2025)).count() == (
            result[key].get(cast.a.pk, measures.Count()).bad
        )
