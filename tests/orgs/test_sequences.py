"""Gap-free numbering (orgs.sequences) and the migration of the three old counters into it."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from gongkai.orgs.models import Sequence, SequenceKind
from gongkai.orgs.sequences import next_value


def test_values_count_up_without_gaps_per_agency_kind_and_scope(cast):
    with transaction.atomic():
        assert [next_value(cast.a, SequenceKind.APPLICATION, "2026") for _ in range(3)] == [1, 2, 3]
        assert next_value(cast.a, SequenceKind.APPLICATION, "2027") == 1
        assert next_value(cast.a, SequenceKind.INDEX_NO, "2026") == 1
        assert next_value(cast.b, SequenceKind.APPLICATION, "2026") == 1


def test_a_rolled_back_caller_gives_its_value_back(cast):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        next_value(cast.a, SequenceKind.LETTER_NO, "2026/reply")
        1 / 0  # noqa: B018 - the caller's save fails after taking a value
    with transaction.atomic():
        assert next_value(cast.a, SequenceKind.LETTER_NO, "2026/reply") == 1


@pytest.mark.django_db(transaction=True)  # the plain test case's transaction would hide it
def test_it_refuses_to_run_outside_a_transaction(cast):
    with pytest.raises(RuntimeError):
        next_value(cast.a, SequenceKind.APPLICATION, "2026")


# The data migrations' own functions, run on the schema they were written for: the old
# counter tables and orgs.Sequence side by side (just before the old models are deleted).
BEFORE_DELETION = [
    ("foi", "0009_counters_to_sequence"),
    ("publishing", "0010_counters_to_sequence"),
]


@pytest.fixture
def old_schema(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_DELETION)
    yield executor.loader.project_state(BEFORE_DELETION).apps
    executor = MigrationExecutor(connection)  # the graph again, as `migrate` does
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_numbering_continues_from_the_migrated_counters(cast, old_schema):
    old = old_schema.get_model
    old("foi", "NumberCounter").objects.create(agency_id=cast.a.pk, year=2026, last=41)
    old("foi", "LetterCounter").objects.create(agency_id=cast.a.pk, year=2026, kind="reply", last=7)
    old("publishing", "IndexCounter").objects.create(agency_id=cast.b.pk, year=2025, last=300)
    foi = import_module("gongkai.foi.migrations.0009_counters_to_sequence")
    publishing = import_module("gongkai.publishing.migrations.0010_counters_to_sequence")

    foi.to_sequence(old_schema, None)
    publishing.to_sequence(old_schema, None)

    with transaction.atomic():
        assert next_value(cast.a, SequenceKind.APPLICATION, "2026") == 42
        assert next_value(cast.a, SequenceKind.LETTER_NO, "2026/reply") == 8
        assert next_value(cast.b, SequenceKind.INDEX_NO, "2025") == 301
    Sequence.objects.filter(value=0).delete()

    # And back: the reverse restores the counters at the values reached.
    old("foi", "NumberCounter").objects.all().delete()
    old("foi", "LetterCounter").objects.all().delete()
    old("publishing", "IndexCounter").objects.all().delete()
    foi.from_sequence(old_schema, None)
    publishing.from_sequence(old_schema, None)
    assert not Sequence.objects.exists()
    assert list(old("foi", "NumberCounter").objects.values_list("year", "last")) == [(2026, 42)]
    assert list(old("foi", "LetterCounter").objects.values_list("year", "kind", "last")) == [
        (2026, "reply", 8)
    ]
    assert list(old("publishing", "IndexCounter").objects.values_list("year", "last")) == [
        (2025, 301)
    ]
