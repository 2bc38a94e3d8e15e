"""Rebuild the catalog's search index from the published items, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from gongkai.publishing import catalog_search
from gongkai.publishing import tasks as publishing_tasks
from gongkai.publishing.models import InfoItem


class Command(BaseCommand):
    help = "Rebuild the full-text search index of published catalog items."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--fast",
            action="store_true",
            help="PostgreSQL: drop the full-text index during the load and build it once at "
            "the end (a quarter faster; searches wait until the rebuild is done)",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the rebuild for a worker (publishing.tasks.rebuild_search_index) "
            "instead of running it here",
        )

    def handle(
        self,
        *args: Any,
        batch_size: int,
        fast: bool,
        background: bool,
        verbosity: int,
        **options: Any,
    ) -> None:
        if background:
            result = publishing_tasks.rebuild_search_index.enqueue(fast=fast)
            self.stdout.write(f"queued the rebuild as task {result.id}")
            return
        total = InfoItem.objects.public().count()
        with tqdm(total=total, unit="item", disable=verbosity == 0, file=self.stderr._out) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.n)

            done = catalog_search.rebuild(batch_size=batch_size, progress=advance, fast=fast)
        self.stdout.write(f"indexed {done} published items")
