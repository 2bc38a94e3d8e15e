"""Rebuild the catalog's search index from the published items, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from gongkai.publishing.models import InfoItem, ItemStatus
from gongkai.search import index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of published catalog items."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, batch_size: int, verbosity: int, **options: Any) -> None:
        total = InfoItem.objects.filter(status=ItemStatus.PUBLISHED).count()
        with tqdm(total=total, unit="item", disable=verbosity == 0, file=self.stderr._out) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.n)

            done = index.rebuild(batch_size=batch_size, progress=advance)
        self.stdout.write(f"indexed {done} published items")
