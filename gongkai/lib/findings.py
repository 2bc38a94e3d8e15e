"""What a check says about a report's figures or text: one `Finding` type and one `Severity`.

Both the validation of the system's own annual reports (annual.validate, annual.report)
and the checker of published ones (annual.checking) make findings of this type, so that a
finding reads the same wherever it is shown or stored. Model-free: a finding is data (its severity's label comes from the catalogue).

A report stores its findings as JSON (`Revision.findings`, `Report.as_dict()`): `record()`
is that shape, with every cell key present; `as_dict()` is the checker's compact shape,
without the empty keys. `from_dict()` reads either back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _


class Severity(StrEnum):
    """How much a finding matters: an error must be fixed before approval, a warning should
    be looked at, a note (info) only tells what was done."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort position: errors first."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

# Errors, then warnings, then notes; anything else last.
SEVERITY_ORDER: dict[str, int] = {str(s): s.rank for s in Severity}


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.get(severity, len(SEVERITY_ORDER))


def severity_label(severity: str) -> str:
    """错误, 警告, 提示: the severity as the reader sees it (the value itself if unknown)."""
    labels: dict[str, str] = {
        Severity.ERROR: _("Error"),
        Severity.WARNING: _("Warning"),
        Severity.INFO: _("Note"),
    }
    return labels.get(severity, severity)


@dataclass
class Finding:
    id: str  # e.g. "T3-BALANCE", "TEXT-TABLE", "LEGAL-BASIS", "CARRY-OVER"
    severity: Severity
    message: str  # plain Chinese, for the reader of the report
    table: str = ""
    row: str = ""
    col: str = ""
    quote: str = ""  # the sentence or cell text the finding is about

    def as_dict(self) -> dict[str, Any]:
        """The checker's shape: id and severity, and the other keys that are not empty."""
        return {
            k: str(v) if k == "severity" else v
            for k, v in self.__dict__.items()
            if v != "" or k in ("id", "severity")
        }

    def record(self) -> dict[str, Any]:
        """The shape a report stores: id, severity, table, row, col and message always, the
        quote when there is one."""
        data = {
            "id": self.id,
            "severity": str(self.severity),
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "message": self.message,
        }
        if self.quote:
            data["quote"] = self.quote
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """A finding from either shape; keys it does not have (a section) are left out."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        severity = values.get("severity", Severity.INFO)
        values["severity"] = Severity(severity) if severity in SEVERITY_ORDER else severity
        return cls(**values)
