"""索引号: generated from the agency's template, unique, never reused (regulation-notes §6.1)."""

from __future__ import annotations

import string
from datetime import date

from django.db import transaction

from gongkai.orgs.models import Agency, SequenceKind
from gongkai.orgs.sequences import next_value
from gongkai.publishing.models import DEFAULT_INDEX_TEMPLATE, Category, IndexRule

PLACEHOLDERS = {
    "credit_code",
    "agency_code",
    "year",
    "month",
    "category_code",
    "department_code",
    "seq",
}


SAMPLE = {
    "credit_code": "11330000000000000X",
    "agency_code": "code",
    "year": 2026,
    "month": "03",
    "category_code": "20-07",
    "department_code": "dept",
    "seq": 12345,
}


def template_problems(template: str) -> list[str]:
    """What is wrong with a template: unknown names; a missing {seq} or {year} (numbers
    must differ, and the counter restarts each year); none of {credit_code},
    {agency_code}, {department_code} (numbers must differ between agencies); a format that cannot be applied; too long."""
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}
    except ValueError as exc:
        return [str(exc)]
    problems = sorted(names - PLACEHOLDERS)
    for required in ("seq", "year"):
        if required not in names:
            problems.append(required)
    if not names & {"credit_code", "agency_code", "department_code"}:
        problems.append("credit_code/agency_code/department_code")
    if not problems:
        try:
            sample = template.format(**SAMPLE)
        except (ValueError, KeyError, IndexError, AttributeError) as exc:
            return [str(exc)]
        if len(sample) > 100:
            problems.append(f"> 100: {sample}")
    return problems


def next_index_number(agency: Agency, category: Category, formed_on: date) -> str:
    """The next 索引号 of `agency` for an item formed on `formed_on`.

    The counter is per agency and year and only ever grows, inside the caller's
    transaction and under a row lock, so a number is never given twice; a withdrawn
    item keeps its number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_index_number must run inside the item's transaction")
    rule = IndexRule.objects.filter(agency=agency).first()
    template = rule.template if rule else DEFAULT_INDEX_TEMPLATE
    seq = next_value(agency, SequenceKind.INDEX_NO, str(formed_on.year))
    return template.format(
        credit_code=agency.credit_code or agency.code.upper(),
        agency_code=agency.code,
        year=formed_on.year,
        month=f"{formed_on.month:02d}",
        category_code=category.code,
        department_code=(rule.department_code if rule else "") or agency.code,
        seq=seq,
    )
