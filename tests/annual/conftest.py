"""Helpers of the annual-report tests."""

from __future__ import annotations

from decimal import Decimal

from gongkai.orgs.models import Agency
from gongkai.publishing.register import save_figures


def confirm_figures(*agencies: Agency, year: int) -> None:
    """Table 二's entered figures confirmed as 0 (a computed report needs them to be approved)."""
    for agency in agencies:
        save_figures(
            agency,
            year,
            actor=None,
            licensing_decisions=0,
            penalty_decisions=0,
            coercion_decisions=0,
            fee_amount=Decimal(0),
        )
