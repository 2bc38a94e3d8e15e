"""Form pieces shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django_bootstrap5 import renderers  # type: ignore[import-untyped]


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (YYYY-MM-DD) whatever the locale's
    display format, or the browser shows the field empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class FieldRenderer(renderers.FieldRenderer):  # type: ignore[misc]  # untyped library
    """django-bootstrap5's renderer without the green "valid" mark: a field is marked only
    when it is wrong (an empty optional field is not "valid", it is just empty)."""

    def get_server_side_validation_classes(self) -> str:
        return "is-invalid" if self.field_errors else ""
