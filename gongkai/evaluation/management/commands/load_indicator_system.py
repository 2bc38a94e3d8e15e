"""Load the default indicator system (gongkai/data/evaluation_default.json) once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.evaluation.defaults import load_default


class Command(BaseCommand):
    help = "Load the default indicator system (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        system = load_default()
        self.stdout.write(f"{system} ({system.indicators.count()} indicators)")
