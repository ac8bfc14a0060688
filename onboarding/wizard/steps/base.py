"""What every step is made of: a form that validates and stores its answers, and the step
that says where those answers live on the Onboarding and how they read back."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onboarding.wizard.models import SEARCH_INPUTS, Onboarding, search_text_for

NOT_PROVIDED = _("Not provided")


def is_blank(value: object) -> bool:
    """An answer not given: None, or text that is empty once trimmed."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class FollowUp:
    """A question asked only once another has a certain answer (the AC type after "Yes" to AC).

    Asked, it is required; not asked, its answer is cleared. The step's "what is missing" and
    the form's validation both read this one declaration.
    """

    question: str
    asked_when: Callable[[Any], bool]
    required_code: str


@dataclass(frozen=True)
class SummaryRow:
    """One labelled answer; `field` is the form field a Change link targets ("" for none)."""

    key: str
    value: str
    field: str = ""


class BuiltForOnboarding:
    """A form built for one onboarding, with what it needs read first (`read_first`)."""

    @classmethod
    def for_onboarding(
        cls,
        data: Any = None,
        *,
        onboarding: Onboarding,
        initial: dict[str, Any] | None = None,
        fresh: bool = False,
    ) -> Self:
        """The form with everything it needs read first (`fresh`: ask WattShift again rather
        than repeat a failure it just had). May raise WattShiftError."""
        read = cls.read_first(onboarding, fresh)
        # Each form class takes (data, *, onboarding, initial, **what read_first gives).
        return cls(data, onboarding=onboarding, initial=initial, **read)  # type: ignore[call-arg]

    @classmethod
    def read_first(cls, onboarding: Onboarding, fresh: bool) -> dict[str, Any]:
        """What the form is built with besides the onboarding (a step that needs WattShift's
        answers reads them here). May raise WattShiftError."""
        return {}


class StepForm(BuiltForOnboarding, forms.Form):
    """A step's form bound to one onboarding. Subclasses say how answers land on the row."""

    error_messages: ClassVar[dict[str, Any]] = {}
    # Validated on the server only (GOV.UK): no browser "required" pop-ups.
    use_required_attribute = False
    # The field whose label is the page's heading (a one-question page), if any.
    page_heading: ClassVar[str] = ""
    # Optional questions say "(optional)" (GOV.UK), except follow-ups: asked, they are required.
    marks_optional: ClassVar[bool] = True
    follow_ups: ClassVar[dict[str, FollowUp]] = {}
    # Form field -> the Onboarding fields its answer fills, where they are not the same name.
    answer_fields: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Shown when the row changed under the form (another tab) so nothing was stored.
    conflict_message: ClassVar[Any] = _(
        "This onboarding was changed in another tab or window, so this page was not saved. "
        "Check the answers and try again."
    )

    @classmethod
    def onboarding_fields(cls, name: str) -> tuple[str, ...]:
        return cls.answer_fields.get(name, (name,))

    @classmethod
    def required_answers(cls, answers: Mapping[str, Any]) -> list[str]:
        """The Onboarding fields this step must fill, given its answers so far (saved or posted):
        each required question, and each follow-up whose question has the answer that asks it."""
        needed: list[str] = []
        for name, field in cls.base_fields.items():
            follow_up = cls.follow_ups.get(name)
            if follow_up is None and not field.required:
                continue
            if follow_up is not None:
                question = cls.onboarding_fields(follow_up.question)[0]
                if not follow_up.asked_when(answers.get(question)):
                    continue
            needed.extend(cls.onboarding_fields(name))
        return needed

    def __init__(self, *args: Any, onboarding: Onboarding, **kwargs: Any) -> None:
        self.onboarding = onboarding
        # The Onboarding fields the last save wrote.
        self.changed: set[str] = set()
        super().__init__(*args, **kwargs)
        # What WattShift said of an answer at the last create is that question's error, as if
        # this form had found it, until the question is answered again.
        refused = {
            name: message
            for name, message in (onboarding.upstream_field_errors or {}).items()
            if name in self.fields
        }
        if refused and not self.is_bound:
            self._errors = ErrorDict(
                {
                    name: self.error_class(
                        [_("WattShift refused this answer: %(message)s") % {"message": message}],
                        renderer=self.renderer,
                    )
                    for name, message in refused.items()
                }
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # add_error() takes a refused field out of cleaned_data; a field that failed its own
        # checks (a NUL character, say) is not in it at all.
        for name, follow_up in self.follow_ups.items():
            if follow_up.question not in cleaned:
                # Its question was refused: the saved follow-up answer stays as it is.
                cleaned.pop(name, None)
            elif not self.asks(name, cleaned):
                # Not asked: an answer to a hidden question is dropped.
                cleaned[name] = self.unasked_value(name)
            elif name in cleaned:
                try:
                    if is_blank(cleaned[name]):
                        raise self._error(follow_up.required_code)
                    cleaned[name] = self.clean_follow_up(name, cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def asks(self, name: str, cleaned: dict[str, Any]) -> bool:
        """Whether this follow-up is asked, given the answers just posted."""
        follow_up = self.follow_ups[name]
        return follow_up.asked_when(cleaned[follow_up.question])

    def unasked_value(self, name: str) -> Any:
        """The answer a follow-up has while it is not asked: its column's empty value."""
        return Onboarding.unanswered(self.onboarding_fields(name)[0])

    def clean_follow_up(self, name: str, value: Any) -> Any:
        """A follow-up's answer once it is asked and given; raise ValidationError to refuse."""
        return value

    def stays_on_step(self) -> bool:
        """After a valid save, show this step again instead of the next (a second stage)."""
        return False

    def not_kept(self) -> list[str]:
        """The labels of questions whose typed answer was refused, so save_draft left it out."""
        return [
            str(field.label)
            for name, field in self.fields.items()
            if name in self.errors and str(self.data.get(self.add_prefix(name), "")).strip()
        ]

    def store_guard(self) -> dict[str, Any]:
        """Extra conditions the row must still meet for the answers to be stored."""
        return {}

    def apply(self, values: dict[str, Any]) -> set[str]:
        """Write these (valid) answers onto the onboarding; return the model fields changed.
        By default each form field is the Onboarding field of the same name."""
        changed: set[str] = set()
        for name in self.fields:
            if name in values:
                self._set(name, values[name], changed)
        return changed

    def save(self) -> bool:
        """Store the whole step. False if the onboarding stopped being a draft meanwhile."""
        if not self.is_valid():
            raise ValueError("save() needs a valid form.")
        return self._store(self.apply(self.cleaned_data))

    def save_draft(self) -> bool:
        """Store the answers that are valid and leave the rest as they were."""
        self.is_valid()
        return self._store(self.apply(self.cleaned_data))

    def _store(self, changed: set[str]) -> bool:
        # The step list, which imports this module: it knows which later answers build on these.
        from onboarding.wizard.steps import clear_answers_built_on

        changed |= clear_answers_built_on(self.onboarding, changed)
        self.changed = changed
        values = {name: getattr(self.onboarding, name) for name in changed}
        values["updated_at"] = self.onboarding.updated_at = timezone.now()
        refused = self.onboarding.upstream_field_errors or {}
        if refused.keys() & set(self.fields):
            # Answered again: WattShift's word on the old answer no longer applies.
            values["upstream_field_errors"] = self.onboarding.upstream_field_errors = {
                name: message for name, message in refused.items() if name not in self.fields
            }
        if changed & set(SEARCH_INPUTS):
            values["search_text"] = self.onboarding.search_text = search_text_for(self.onboarding)
        # Compare-and-set on the status: answers never change under a running submission.
        current = Onboarding.objects.filter(
            pk=self.onboarding.pk, status=Onboarding.Status.DRAFT, **self.store_guard()
        )
        return bool(current.update(**values))

    def _error(self, code: str, **params: Any) -> ValidationError:
        return ValidationError(self.error_messages[code], code=code, params=params or None)

    def _set(self, name: str, value: Any, changed: set[str]) -> None:
        if getattr(self.onboarding, name) != value:
            setattr(self.onboarding, name, value)
            changed.add(name)


class Step:
    """One page of the wizard. Subclasses declare it; STEPS lists them in order."""

    slug: ClassVar[str]
    title: ClassVar[Promise]
    template_name: ClassVar[str]
    form_class: ClassVar[type[StepForm]]
    # The Onboarding fields this step's answers are stored in.
    answers: ClassVar[tuple[str, ...]]
    # Earlier answers this step is built on: it is shown only once they are given, and its own
    # answers are cleared when one of them changes (the utility and plan when the ZIP changes).
    builds_on: ClassVar[tuple[str, ...]] = ()
    # Named partials of the template that htmx may ask for with ?partial=<name>.
    partials: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        return f"<Step {self.slug}>"

    def missing(self, onboarding: Onboarding) -> list[str]:
        """The Onboarding fields this step still has to fill; empty once it is answered."""
        answers = {name: getattr(onboarding, name) for name in self.answers}
        needed = self.form_class.required_answers(answers)
        return [name for name in needed if is_blank(answers.get(name))]

    def is_answered(self, onboarding: Onboarding) -> bool:
        return not self.missing(onboarding)

    def is_ready(self, onboarding: Onboarding) -> bool:
        """Whether the step can be shown yet: the answers it builds on are given."""
        return not any(is_blank(getattr(onboarding, name)) for name in self.builds_on)

    def summary_rows(self, onboarding: Onboarding, *, with_ids: bool = False) -> list[SummaryRow]:
        """Its answers as check answers shows them; with the upstream ids behind them for the
        home page's record of what was sent."""
        raise TypeError(f"{type(self).__name__} must define summary_rows().")

    def context(self, form: StepForm | None, partial: str) -> dict[str, Any]:
        """What the template needs beyond the form, given the form (None if it could not be
        built) and the htmx partial asked for ("" for the whole page)."""
        return {}
