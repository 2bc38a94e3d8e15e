"""Forms of the annual report: its text sections, labelled from the format file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.annual.layout import body_rows, header_rows, leaf_columns
from gongkai.annual.models import AnnualReport
from gongkai.annual.narrative import section_titles
from gongkai.annual.validate import cell_label
from gongkai.lib.report_format import FORMAT_2021, format_spec, format_table


class ReportTextForm(forms.ModelForm[AnnualReport]):
    class Meta:
        model = AnnualReport
        fields = ["overview", "problems", "other"]
        widgets = {
            "overview": forms.Textarea(attrs={"rows": 14, "class": "form-control"}),
            "problems": forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
            "other": forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = section_titles()
        for name, field in self.fields.items():
            field.label = titles[name]


class FiguresForm(forms.Form):
    """Every cell of every table of the format, for a year entered by hand.

    Fields are named 「table.row.column」; the fee amount (万元) takes decimals, the rest
    whole numbers. The report's identities are checked afterwards, like a computed
    report's, so an entry that does not add up is kept and shown with its findings.
    """

    reason = forms.CharField(
        label=_("Where the figures come from"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(
        self,
        *args: Any,
        initial_tables: dict[str, Any] | None = None,
        reason: str = "",
        format_id: str = FORMAT_2021,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.format_id = format_id
        spec = format_spec(format_id)
        decimals = {(c["table"], c["row"], c["col"]) for c in spec["decimal_cells"]}
        signed = {(c["table"], c["row"], c["col"]) for c in spec["signed_cells"]}
        self.fields["reason"].initial = reason
        for section in spec["sections"]:
            for table_id in section.get("tables", []):
                for row in body_rows(table_id, format_id):
                    if row.kind != "data":
                        continue
                    for col in leaf_columns(table_id, format_id):
                        name = f"{table_id}.{row.key}.{col}"
                        cell = (table_id, row.key, col)
                        low = None if cell in signed else 0  # 本年增/减 may be negative
                        field: forms.Field = (
                            forms.DecimalField(min_value=low, max_digits=14, decimal_places=4)
                            if cell in decimals
                            else forms.IntegerField(min_value=low, max_value=10**9)
                        )
                        field.label = cell_label(table_id, row.key, col, format_id)
                        field.widget.attrs.update({"class": "form-control form-control-sm"})
                        if initial_tables:
                            field.initial = (
                                initial_tables.get(table_id, {}).get(row.key, {}).get(col)
                            )
                        self.fields[name] = field

    def tables(self) -> dict[str, Any]:
        tables: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name.count(".") != 2:
                continue
            table_id, row, col = name.split(".")
            number = float(value) if isinstance(value, Decimal) else value
            tables.setdefault(table_id, {}).setdefault(row, {})[col] = number
        return tables

    def layout(self) -> list[dict[str, Any]]:
        """The tables with their bound fields, for the template."""
        result = []
        format_id = self.format_id
        for section in format_spec(format_id)["sections"]:
            for table_id in section.get("tables", []):
                columns = leaf_columns(table_id, format_id)
                rows = [
                    {
                        "row": row,
                        "fields": [self[f"{table_id}.{row.key}.{col}"] for col in columns]
                        if row.kind == "data"
                        else [],
                    }
                    for row in body_rows(table_id, format_id)
                ]
                result.append(
                    {
                        "id": table_id,
                        "title": f"{section['no']}、{format_table(format_id, table_id)['title']}",
                        "headers": header_rows(table_id, format_id),
                        "rows": rows,
                        "width": len(columns) + 1,
                    }
                )
        return result
