"""Widgets the step forms render with, through the project's form templates."""

from typing import Any

from django import forms


class TextInput(forms.TextInput):
    """A text input also described by a region outside its field group (the ZIP code's live
    preview), after its hint and error."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, also_described_by: str = "") -> None:
        super().__init__(attrs)
        self.also_described_by = also_described_by

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.also_described_by:
            widget_attrs = context["widget"]["attrs"]
            described = [widget_attrs.get("aria-describedby", ""), self.also_described_by]
            widget_attrs["aria-describedby"] = " ".join(filter(None, described))
        return context


class Radios(forms.RadioSelect):
    """Radios as GOV.UK draws them: side by side when `inline` (short Yes/No lists), and an
    option's hint beside its label, linked with aria-describedby, never inside the label."""

    template_name = "django/forms/widgets/radio.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        *,
        inline: bool = False,
        hints: dict[str, str] | None = None,
        divider_before: str = "",
    ) -> None:
        super().__init__(attrs, choices)
        self.inline = inline
        self.hints = hints or {}
        # The value of an option set apart by an "or" (GOV.UK: "I'm not sure" after the rest).
        self.divider_before = divider_before

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = self.inline
        return context

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: Any,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        # HTML attributes as the template writes them: `checked="checked"`, and none when False.
        option["attrs"] = {
            key: key if value is True else value
            for key, value in option["attrs"].items()
            if value is not False and value is not None
        }
        option["divider"] = bool(self.divider_before) and str(value) == self.divider_before
        hint = self.hints.get(str(value), "")
        if hint:
            option["hint"] = hint
            option["hint_id"] = f"{option['attrs']['id']}_hint"
            option["attrs"] = {**option["attrs"], "aria-describedby": option["hint_id"]}
        return option


class DatePicker(forms.DateInput):
    """The browser's own date picker; it sends the day as 2026-11-27, the format shown back."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
