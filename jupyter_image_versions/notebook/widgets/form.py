"""The registration form: one widget per ImageVersionSpec field, each with its problem inline."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ...core import awsmodel
from ...core.labels import enum_words
from ...core.spec import ECR_URI_FORM, ImageVersionSpec
from ..html import message_html

# Spec fields shown in the form, in order; image_name comes from the panel's image chooser.
FORM_FIELDS = (
    "base_image",
    "ml_framework",
    "programming_lang",
    "processor",
    "job_type",
    "horovod",
    "aliases",
    "release_notes",
    "vendor_guidance",
)
NOT_SET = "(not set)"
LABEL = {"description_width": "140px"}
WIDE = w.Layout(width="95%")


def enum_choices(member: str) -> list[tuple[str, str | None]]:
    """Dropdown options for a CreateImageVersion enum member, read from botocore's model."""
    shape = awsmodel.input_shape("sagemaker", "CreateImageVersion", member)
    return [(NOT_SET, None), *((enum_words(value), value) for value in shape.enum)]


#: Labels of the fields a server problem may name that have no input in the form.
OTHER_LABELS = {
    "image_name": "Image",
    "name": "Image name",
    "role_arn": "Role ARN",
    "aliases_to_add": "Aliases",
    "aliases_to_delete": "Aliases",
    "move_aliases": "Aliases",
}


def labelled_problem(field: str, problem: str, label: str) -> str:
    """A problem led by the panel's label ("ML framework: 'x' must…"), never by the API field
    name it may start with ("ml_framework 'x' must…", "role_arn: must…")."""
    for prefix in (f"{field}: ", f"{field} "):
        if problem.startswith(prefix):
            problem = problem[len(prefix) :]
            break
    return f"{label}: {problem}"


def problems_text(problems: dict[str, str], label: Callable[[str], str]) -> str:
    """Every problem of a server's refusal on one line, each led by its field's label."""
    return "; ".join(labelled_problem(f, p, label(f)) for f, p in problems.items())


def show_problems(
    widgets: dict[str, w.HTML], problems: dict[str, str], label: Callable[[str], str]
) -> str:
    """A server's refusal: each problem under its field's widget, led by the label (the API's
    `name` is the panel's `image_name`); returns the one-line summary, labels not API keys."""
    for field, problem in problems.items():
        key = "image_name" if field == "name" else field
        if key in widgets:
            widgets[key].value = problem_html(labelled_problem(field, problem, label(field)))
    return problems_text(problems, label)


def parse_aliases(text: str) -> list[str]:
    """'2.3.0, latest' -> ['2.3.0', 'latest']."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _state_html(words: str) -> str:
    """A three-state box's state in words, beside it (Not provided, Yes, No)."""
    return f"<span style='opacity: 0.75'>{words}</span>"


def problem_html(message: str | None, kind: str = "error") -> str:
    return message_html(message, kind) if message else ""


class RegistrationForm(w.VBox):
    """Base image (text + ECR picker), metadata, aliases, notes, guidance and Register."""

    def __init__(self) -> None:
        self.image_name: str | None = None
        self.busy = False
        self.base_image = w.Text(
            description="Base image", placeholder=ECR_URI_FORM, style=LABEL, layout=WIDE
        )
        self.ecr_repository = w.Dropdown(
            description="ECR repository", options=[(NOT_SET, None)], style=LABEL
        )
        self.ecr_tag = w.Dropdown(description="tag", options=[(NOT_SET, None)])
        self.ml_framework = w.Text(
            description="ML framework", placeholder="PyTorch 2.3", style=LABEL
        )
        self.programming_lang = w.Text(
            description="Language", placeholder="Python 3.11", style=LABEL
        )
        self.processor = w.Dropdown(
            description="Processor", options=enum_choices("Processor"), style=LABEL
        )
        self.job_type = w.Dropdown(
            description="Job type", options=enum_choices("JobType"), style=LABEL
        )
        # As high as the dropdowns beside it, so the box sits on their line.
        self.horovod = w.Checkbox(
            description="Horovod",
            indent=False,
            layout=w.Layout(width="auto", height="28px", margin="2px 0 0 12px"),
        )
        # Three states: not provided (not sent) until the box is touched, then Yes or No.
        self.horovod_set = False
        self.horovod_state = w.HTML(
            _state_html("Not provided"), layout=w.Layout(margin="2px 0 0 4px")
        )
        self.horovod.observe(self._horovod_touched, names="value")
        self.aliases = w.Text(
            description="Aliases", placeholder="2.3.0, latest (comma-separated)", style=LABEL
        )
        self.release_notes = w.Textarea(
            description="Release notes", style=LABEL, layout=w.Layout(width="95%", height="60px")
        )
        self.vendor_guidance = w.Dropdown(
            description="Vendor guidance", options=enum_choices("VendorGuidance"), style=LABEL
        )
        self.register_button = w.Button(
            description="Register", button_style="primary", icon="upload", disabled=True
        )
        self.progress = w.HTML()
        self.problems: dict[str, w.HTML] = {name: w.HTML() for name in ("image_name", *FORM_FIELDS)}
        self.warnings: dict[str, w.HTML] = {"aliases": w.HTML()}

        # A field's problem shows once it was touched (or Register was pressed), never before.
        self.touched: set[str] = set()
        for name in FORM_FIELDS:
            getattr(self, name).observe(lambda _, n=name: self._changed(n), names="value")

        def field(name: str, *extra: w.Widget) -> w.VBox:
            row = w.HBox([getattr(self, name), *extra]) if extra else getattr(self, name)
            parts = [row, self.problems[name]]
            if name in self.warnings:
                parts.append(self.warnings[name])
            return w.VBox(parts)

        super().__init__(
            [
                field("base_image"),
                w.HBox([self.ecr_repository, self.ecr_tag]),
                field("ml_framework"),
                field("programming_lang"),
                w.HBox(
                    [field("processor"), field("job_type"), field("horovod", self.horovod_state)]
                ),
                field("aliases"),
                field("release_notes"),
                field("vendor_guidance"),
                self.problems["image_name"],
                w.HBox([self.register_button]),
                self.progress,
            ]
        )
        self.validate()

    def _horovod_touched(self, _: object = None) -> None:
        self.horovod_set = True
        self.horovod_state.value = _state_html("Yes" if self.horovod.value else "No")

    def _changed(self, name: str) -> None:
        self.touched.add(name)
        self.validate()

    def spec(self) -> ImageVersionSpec:
        """The spec as the form stands; empty text fields are None (not sent)."""

        def text(widget: w.Widget) -> str | None:
            value = widget.value.strip()
            return value or None

        return ImageVersionSpec(
            image_name=self.image_name,  # type: ignore[arg-type]
            base_image=text(self.base_image),  # type: ignore[arg-type]
            aliases=parse_aliases(self.aliases.value),
            ml_framework=text(self.ml_framework),
            programming_lang=text(self.programming_lang),
            processor=self.processor.value,
            job_type=self.job_type.value,
            horovod=self.horovod.value if self.horovod_set else None,
            release_notes=self.release_notes.value or None,
            vendor_guidance=self.vendor_guidance.value,
        )

    def label(self, field: str) -> str:
        """The form's label of a field (its widget's description), for messages."""
        if field in FORM_FIELDS:
            return getattr(self, field).description
        return OTHER_LABELS.get(field, field.replace("_", " ").capitalize())

    def show_server_problems(self, problems: dict[str, str]) -> str:
        """The server's problems under their fields; the summary for the progress line."""
        return show_problems(self.problems, problems, self.label)

    def validate(self, show_all: bool = False) -> dict[str, str]:
        """Show each touched field's problem under it, led by the field's label ("ML framework
        'x' must…"); `show_all` shows every one. Register is enabled only for a valid spec."""
        if show_all:
            self.touched |= set(self.problems)
        spec = self.spec()
        problems = spec.problems()
        if self.image_name is None:
            problems["image_name"] = "choose or create an image first"
        for name, widget in self.problems.items():
            # The image is no field to touch: its problem shows once the user fills the form.
            seen = name in self.touched or (name == "image_name" and bool(self.touched))
            problem = problems.get(name) if seen else None
            label = getattr(self, name).description if name in FORM_FIELDS else ""
            html = problem_html(f"{label} {problem}".strip() if problem else None)
            if widget.value != html:
                widget.value = html
        warnings = {} if "aliases" in problems else spec.warnings()
        self.warnings["aliases"].value = problem_html(warnings.get("aliases"), "warning")
        self.register_button.disabled = bool(problems) or self.busy
        return problems

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.validate()
