"""The batch checker through the task queue: reports per second with one and with two
`db_worker` processes on PostgreSQL, beside checking the same reports in one process.

The reports are bench/checker.py's generated 2021-format reports (HTML and text). A check
run is started as the upload page starts one (annual/checking/runs.py: the files stored,
one `annual.tasks.check_report_file` task each); the workers are started first and left
waiting, the tasks queued in one transaction, and the clock stops when the run's last file
has completed it (the cross-year checks included). The machine's cores bound what a second
worker can add.

    .venv/bin/python bench/tasks.py                 # 200 reports, 1 and 2 workers
    .venv/bin/python bench/tasks.py --reports 400 --workers 1 2 4
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database  # noqa: E402

NAME = "gk_bench_tasks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    os.environ["TASK_BACKEND"] = "database"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    with throwaway_database(NAME, keep=args.keep) as url:
        run(url, args.reports, args.workers)


def run(url: str, count: int, worker_counts: list[int]) -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction

    from bench.checker import generate
    from gongkai.annual import tasks as annual_tasks
    from gongkai.annual.checking import runs
    from gongkai.annual.checking.batch import check_documents
    from gongkai.annual.checking.reading import read_bytes
    from gongkai.annual.models import ReportCheck
    from gongkai.orgs.models import User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    files, _truth = generate(count)
    print(f"{len(files)} reports ({sum(len(d) for _, d in files) / 2**20:.1f} MB)")
    actor = User.objects.create_user("bench", password="x")  # noqa: S106

    started = time.perf_counter()
    check_documents([read_bytes(data, name) for name, data in files])
    alone = len(files) / (time.perf_counter() - started)
    print(f"in one process, no queue: {alone:.1f} reports/s")

    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "TASK_BACKEND": "database"}
    for workers in worker_counts:
        processes = [
            subprocess.Popen(  # noqa: S603 - our own manage.py
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.05",
                    "--verbosity",
                    "0",
                    "--worker-id",
                    f"bench-{workers}-{i}",
                ],
                cwd=ROOT,
                env=env,
            )
            for i in range(workers)
        ]
        try:
            time.sleep(4)  # the workers' start-up (Django set-up) is not the checks' time
            uploads = [SimpleUploadedFile(name, data) for name, data in files]
            check = runs.start(uploads, "", actor=actor)
            stored = runs.progress(check)
            started = time.perf_counter()
            with transaction.atomic():
                for f in stored:
                    annual_tasks.check_report_file.enqueue(f.pk)
            while ReportCheck.objects.filter(pk=check.pk, pending=True).exists():
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=60)
        print(
            f"{workers} worker{'s' if workers > 1 else ''}: {len(files)} reports in "
            f"{elapsed:.1f} s, {len(files) / elapsed:.1f} reports/s "
            f"({len(files) / elapsed / alone:.0%} of one process without the queue)"
        )
    print(f"cores on this machine: {os.cpu_count()}")


if __name__ == "__main__":
    main()
