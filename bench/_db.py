"""Throwaway PostgreSQL databases, for the benchmarks and scripts/runtests.py.

The server is DATABASE_URL's, or postgres@127.0.0.1:5432 with trust authentication. A
database is created from template0 with UTF-8 encoding and the C.UTF-8 collation and
ctype: a C ctype breaks Chinese text handling (docs/testing.md), and the server's
default locale may be one. It is dropped at the end (WITH (FORCE): a benchmark stopped
halfway may leave a connection behind).

psycopg is imported only when a database is made, so that scripts/runtests.py still
runs the SQLite pass where it is not installed.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import psycopg

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    """DATABASE_URL, or the local server."""
    return os.environ.get("DATABASE_URL", "") or DEFAULT_SERVER


def admin_connection(
    server: str | None = None, *, connect_timeout: int | None = None
) -> psycopg.Connection:
    """An autocommit connection to the server's `postgres` database (CREATE and DROP
    DATABASE cannot run in a transaction, nor in the database they drop)."""
    import psycopg

    parts = urlsplit(server or server_url())
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=connect_timeout,  # None: no timeout
    )


def database_url(name: str, server: str | None = None) -> str:
    """The server's URL with the database `name`."""
    return urlunsplit(urlsplit(server or server_url())._replace(path=f"/{name}"))


def create_database(name: str, server: str | None = None, *, replace: bool = False) -> str:
    """Create the database `name` (dropping one of that name first if `replace`); its URL."""
    with admin_connection(server) as conn:
        if replace:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    return database_url(name, server)


def drop_database(name: str, server: str | None = None) -> None:
    close_django_connections()
    with admin_connection(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def close_django_connections() -> None:
    """Close this process's Django connections, if Django was set up, before a DROP."""
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def use_database(url: str) -> None:
    """Point Django, not yet set up in this process, at `url`.

    DEBUG=1 only so that the settings import without SECRET_KEY (and serve static files
    without a collectstatic manifest); the benchmarks measure with settings.DEBUG off.
    """
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"


@contextmanager
def throwaway_database(
    name: str, server: str | None = None, *, keep: bool = False, use: bool = True
) -> Iterator[str]:
    """A new database for the block, its URL given; dropped afterwards unless `keep`.
    With `use`, Django is pointed at it (use_database).

    A SIGTERM (from `timeout`, say) ends the run through the drop below, as Ctrl-C
    (KeyboardInterrupt) does.
    """
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    server = server or server_url()  # before use_database changes DATABASE_URL
    url = create_database(name, server)
    if use:
        use_database(url)
    try:
        yield url
    finally:
        close_django_connections()
        if not keep:
            drop_database(name, server)
