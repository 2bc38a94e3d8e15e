"""A real PostgreSQL primary and a streaming standby in temporary directories.

The installed server's own programs make them: initdb for the primary, pg_basebackup -R
for the standby (which then streams the primary's WAL and replays it, read-only), pg_ctl
to start and stop both, each on a free port of 127.0.0.1 with its socket in its own
directory. initdb refuses to run as root: as root (CI) the clusters belong to the
`postgres` user that Debian's postgresql package creates, and its programs run through
runuser. Nothing of the machine's own PostgreSQL server is used or touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's program directory (Debian: /usr/lib/postgresql/N/bin)."""
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def why_not_available() -> str | None:
    """None when a pair can be made here; otherwise what is missing."""
    bindir = find_bindir()
    if bindir is None:
        return "PostgreSQL's initdb was not found (apt-get install postgresql)"
    for program in ("initdb", "pg_ctl", "pg_basebackup"):
        if not (bindir / program).exists():
            return f"{program} not found in {bindir}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to own the clusters"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    datadir: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )


@dataclass
class Pair:
    """A primary and one standby replaying it. Use as a context manager."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gongkai_pair_")))
    primary: Server = field(init=False)
    standby: Server = field(init=False)

    def __post_init__(self) -> None:
        bindir = find_bindir()
        assert bindir is not None
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.primary = Server(self.root / "primary", free_port())
        self.standby = Server(self.root / "standby", free_port())

    def _run(self, program: str, *args: str, timeout: float = 120) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def _start(self, server: Server) -> None:
        options = (
            f"-p {server.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={server.datadir.parent / 'sockets'} "
            "-c fsync=off -c full_page_writes=off -c max_connections=40"
        )
        log = server.datadir.parent / f"{server.datadir.name}.log"
        self._run("pg_ctl", "-D", str(server.datadir), "-l", str(log), "-o", options, "-w", "start")

    def __enter__(self) -> Pair:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        sockets = self.root / "sockets"
        sockets.mkdir()
        if self.as_root:
            shutil.chown(sockets, "postgres", "postgres")
        try:
            self._run(
                "initdb",
                "-D",
                str(self.primary.datadir),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
            with (self.primary.datadir / "postgresql.conf").open("a") as conf:
                conf.write("wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n")
            self._start(self.primary)
            self._run(
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.primary.port),
                "-U",
                "postgres",
                "-D",
                str(self.standby.datadir),
                "-R",  # standby.signal and primary_conninfo: a streaming standby
                "-X",
                "stream",
            )
            self._start(self.standby)
            self.wait_for_replay()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for server in (self.standby, self.primary):
            if (server.datadir / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                    self._run("pg_ctl", "-D", str(server.datadir), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def wait_for_replay(self, timeout: float = 30) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        with self.primary.connect() as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.standby.connect() as standby:
                    caught_up = standby.execute(
                        "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= %s::pg_lsn",
                        [target],
                    ).fetchone()[0]  # type: ignore[index]
                if caught_up:
                    return
            except psycopg.OperationalError:
                pass  # still starting
            if time.monotonic() > deadline:
                raise TimeoutError("the standby did not replay the primary's WAL in time")
            time.sleep(0.1)
