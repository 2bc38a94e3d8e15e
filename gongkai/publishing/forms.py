from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.lib.forms import DateInput
from gongkai.lib.uploads import DOCX, JPEG, PDF, PNG, XLSX, UploadRejected, check_upload
from gongkai.orgs.models import Agency, AgencyQuerySet
from gongkai.publishing.actions import check_formed_on
from gongkai.publishing.models import (
    STAGE_ROLES,
    Category,
    Channel,
    DecisionFigures,
    InfoItem,
    InterpretationElement,
    InterpretationForm,
    NormativeDocument,
    PublicationSchedule,
    RereviewOutcome,
    ReviewDecision,
)
from gongkai.publishing.register import figure_labels


class ItemForm(forms.ModelForm[InfoItem]):
    class Meta:
        model = InfoItem
        fields = [
            "title",
            "category",
            "formed_on",
            "doc_no",
            "topic",
            "genre",
            "summary",
            "body",
            "keywords",
            "disclosure",
            "withheld_reason",
            "validity",
            "effective_on",
            "needs_interpretation",
        ]
        widgets = {
            "formed_on": DateInput(),
            "effective_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "body": _(
                "Type paragraphs separated by a blank line, or paste from Word or WPS: "
                "paragraphs, headings, lists and tables are kept; styles and scripts are removed."
            )
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField[Category], self.fields["category"])
        category.queryset = categories_for(agency)

    def clean_formed_on(self) -> Any:

        formed_on = self.cleaned_data["formed_on"]
        try:
            check_formed_on(formed_on)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["formed_on"]) from None
        return formed_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("disclosure") == "withheld" and not data.get("withheld_reason"):
            self.add_error(
                "withheld_reason", _("Give the legal reason for not disclosing (Articles 14–16).")
            )
        return data


def categories_for(agency: Agency) -> QuerySet[Category]:
    """The standard categories for the agency's level, and its own."""
    levels = Q(levels="") | Q(levels__contains=agency.level)
    return Category.objects.filter(
        Q(agency=None) & levels | Q(agency=agency), is_active=True
    ).order_by("sort_order", "code")


class AgencyChoiceForm(forms.Form):
    """Which agency a new item belongs to, for staff of several agencies."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, agencies: AgencyQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Agency], self.fields["agency"]).queryset = agencies


class ChangeForm(forms.ModelForm[InfoItem]):
    """A change to a published item; the public page keeps the earlier versions."""

    reason = forms.CharField(label=_("Reason for the change (shown to the public)"), max_length=500)

    class Meta:
        model = InfoItem
        fields = [
            "title", "summary", "doc_no", "topic", "body", "keywords", "validity",
            "effective_on", "ended_on",
        ]  # fmt: skip
        widgets = {
            "effective_on": DateInput(),
            "ended_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = ItemForm.Meta.help_texts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("validity") in ("expired", "repealed") and not data.get("ended_on"):
            self.add_error("ended_on", _("Give the date it expired or was repealed."))
        return data


ATTACHMENT_TYPES = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", JPEG: ".jpg", PNG: ".png"}
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, DOCX, XLSX, JPEG or PNG, at most 20 MB)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            upload.content_type = check_upload(
                upload,
                types=ATTACHMENT_TYPES,
                max_bytes=ATTACHMENT_MAX_BYTES,
                too_large=gettext("%(name)s is larger than 20 MB."),
                wrong_type=gettext("%(name)s is not a PDF, DOCX, XLSX, JPEG or PNG file."),
            )
        except UploadRejected as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    published_on = forms.DateField(label=_("Published on"), widget=DateInput())
    address = forms.CharField(
        label=_("Address or issue"),
        max_length=500,
        required=False,
        help_text=_("Web address, gazette issue, or where the notice board stands."),
    )


class InterpretationEntryForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=InterpretationForm.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    published_on = forms.DateField(label=_("Published on"), widget=DateInput())
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    catalog_index_no = forms.CharField(
        label=_("Or its index number in the catalog"), max_length=100, required=False
    )
    elements = forms.ModelMultipleChoiceField(
        label=_("Elements the interpretation covers (解读要素)"),
        queryset=InterpretationElement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = InterpretationElement.objects.filter(is_active=True)
        if active.exists():
            cast(forms.ModelMultipleChoiceField[Any], self.fields["elements"]).queryset = active
        else:  # the checklist is optional: without elements, no field
            del self.fields["elements"]


class RereviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=RereviewOutcome.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class NormativeDocumentForm(forms.ModelForm[NormativeDocument]):
    catalog_index_no = forms.CharField(
        label=_("Its catalog item (index number)"),
        max_length=100,
        required=False,
        help_text=_(
            "The catalog item's validity follows the register: a repeal or expiry reaches "
            "the public page on the day it takes effect."
        ),
    )

    class Meta:
        model = NormativeDocument
        fields = [
            "kind", "title", "doc_no", "drafted_on", "legality_reviewed_on", "deliberated_on",
            "issued_on", "filed_on", "filed_with", "effective_on", "valid_until", "amended_on",
            "repealed_on", "expired_on", "notes",
        ]  # fmt: skip
        widgets: dict[str, forms.Widget] = {
            name: DateInput()
            for name in (
                "drafted_on", "legality_reviewed_on", "deliberated_on", "issued_on",
                "filed_on", "effective_on", "valid_until", "amended_on", "repealed_on",
                "expired_on",
            )
        }  # fmt: skip
        widgets["notes"] = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.item is not None and not self.is_bound:
            self.fields["catalog_index_no"].initial = self.instance.item.index_no


class FiguresForm(forms.ModelForm[DecisionFigures]):
    """The entered figures of table 二, labelled as in the report format."""

    class Meta:
        model = DecisionFigures
        fields = ["licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        for name, label in figure_labels().items():
            self.fields[name].label = label


class ScheduleForm(forms.ModelForm[PublicationSchedule]):
    class Meta:
        model = PublicationSchedule
        fields = ["submit_day", "publish_day", "remind_days_before"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        submit, publish = data.get("submit_day"), data.get("publish_day")
        if submit and publish and publish < submit:
            self.add_error("publish_day", _("Publication comes after the submission day."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("Opinion"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class KeepForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput, max_length=100)
    reason = forms.CharField(label=_("Reason for publishing it"), max_length=500)


class MaskOneForm(forms.Form):
    """Mask one finding (its kind and text) rather than all of them."""

    kind = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput, max_length=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the public)"), max_length=500)


class StageRowForm(forms.Form):
    """One row of an agency's review workflow on the 系统管理 page."""

    use = forms.BooleanField(
        label=_("Used"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input", "aria-label": _("Used")}),
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=1,
        max_value=20,
        required=False,
        widget=forms.NumberInput(
            {"class": "form-control form-control-sm", "aria-label": _("Order")}
        ),
    )
    name = forms.CharField(
        label=_("Stage"),
        max_length=50,
        required=False,
        widget=forms.TextInput({"class": "form-control form-control-sm", "aria-label": _("Stage")}),
    )
    role = forms.ChoiceField(
        label=_("Reviewer role"),
        choices=[("", "—"), *STAGE_ROLES],
        required=False,
        widget=forms.Select(
            {"class": "form-select form-select-sm", "aria-label": _("Reviewer role")}
        ),
        error_messages={
            "invalid_choice": _(
                "The role “%(value)s” does not exist; choose one of the reviewer roles."
            )
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("use"):
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Every stage needs a name."))
            if not data.get("role"):
                self.add_error("role", _("Choose the role that decides this stage."))
        return data


StageFormSet = forms.formset_factory(StageRowForm, extra=2, max_num=20)


class ReviewPolicyForm(forms.Form):
    one_person_office = forms.BooleanField(
        label=_("One person may decide several stages of an item (one-person office)"),
        required=False,
        help_text=_(
            "Only for an office too small to staff each stage with a different person; "
            "each item decided so carries a warning. The drafter never decides a stage."
        ),
    )


class CleanupForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    basis = forms.CharField(label=_("Basis"), max_length=300, required=False)
