"""Both databases are first-class; each is set up the way Chinese text needs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from gongkai.settings import _sqlite_database


def test_the_default_sqlite_file_runs_in_wal_mode(tmp_path, django_db_blocker):
    config = {**_sqlite_database(tmp_path / "gk.sqlite3"), **{"TIME_ZONE": None}}
    wrapper = SQLiteWrapper({**settings.DATABASES["default"], **config}, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        wrapper.close()


@pytest.mark.django_db
def test_the_postgresql_test_database_has_a_utf8_ctype():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of make test")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database "
            "WHERE datname = current_database()"
        )
        encoding, ctype = cursor.fetchone()
    assert encoding == "UTF8"
    assert ctype.lower().replace("-", "").endswith("utf8")


@pytest.mark.django_db
def test_chinese_text_round_trips_and_matches_substrings(cast):
    from gongkai.orgs.models import Agency

    assert Agency.objects.filter(name__contains="派出所").get() == cast.a_unit
    assert list(Agency.objects.filter(name__contains="测试县").order_by("path")) == [
        cast.county,
        cast.a,
        cast.a_unit,
        cast.b,
    ]
