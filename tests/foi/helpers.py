"""Steps several FOI tests take: the reply given, as in the office, by its letter."""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.foi import letters
from gongkai.foi.models import Application, Letter
from gongkai.orgs.models import User


def reply_by_letter(
    case: Application,
    *,
    officer: User,
    head: User,
    on: date,
    outcome: str,
    issuer: User | None = None,
    late_approval_reason: str = "",
    basis: str = "",
    documents: str = "",
    facts: dict[str, Any] | None = None,
) -> Letter:
    """Choose the outcome (drafts the decision letter), approve it, issue it on `on`."""
    letter = letters.draft_reply(
        case, actor=officer, outcome=outcome, basis=basis, documents=documents, facts=facts
    )
    letters.approve_letter(letter, actor=head)
    return letters.issue_letter(
        letter, actor=issuer or officer, on=on, late_approval_reason=late_approval_reason
    )
