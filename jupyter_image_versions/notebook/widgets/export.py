"""The panel's Export section: an image's history as CloudFormation, CDK or Terraform code."""

from __future__ import annotations

import ipywidgets as w

from ...export import FORMATS, TERRAFORM_FORMATS
from .form import LABEL, WIDE, problem_html

FORMAT_LABELS = {
    "cloudformation": "CloudFormation (YAML)",
    "cloudformation-json": "CloudFormation (JSON)",
    "cdk-python": "CDK (Python)",
    "cdk-typescript": "CDK (TypeScript)",
    "terraform": "Terraform (HCL)",
    "terraform-json": "Terraform (JSON)",
}


class ExportView(w.VBox):
    """Widgets only; the panel runs the export. The code lands in a Textarea: plain text."""

    def __init__(self) -> None:
        choices = [(FORMAT_LABELS[f], f) for f in (FORMATS[0], "cloudformation-json", *FORMATS[1:])]
        self.format = w.Dropdown(description="Format", options=choices, style=LABEL)
        self.versions = w.Text(
            description="Versions", placeholder="all, or 3-7 or 1,4,9-12", style=LABEL
        )
        self.versions_problem = w.HTML()
        self.pin_digests = w.Checkbox(description="Pin digests (same image bytes)", indent=False)
        # The sidebar's words: ticking leaves them out.
        self.leave_archived = w.Checkbox(
            value=False, description="Leave archived versions out", indent=False
        )
        self.imports = w.Checkbox(
            value=True,
            description="Import blocks (adopt the live versions)",
            indent=False,
            disabled=True,
        )
        self.format.observe(self._format_changed, names="value")
        self.export_button = w.Button(description="Export", icon="file-code-o")
        self.code = w.Textarea(
            placeholder="The exported code appears here.",
            layout=w.Layout(width="95%", height="320px"),
        )
        super().__init__(
            [
                w.HBox([self.format, self.export_button]),
                self.versions,
                self.versions_problem,
                w.HBox([self.pin_digests, self.leave_archived, self.imports]),
                self.code,
            ],
            layout=WIDE,
        )

    def _format_changed(self, change: dict) -> None:
        self.imports.disabled = change["new"] not in TERRAFORM_FORMATS

    def options(self) -> dict:
        """The keyword arguments of ImageVersions.export for the chosen settings."""
        fmt = self.format.value
        options = {
            "format": "cloudformation" if fmt == "cloudformation-json" else fmt,
            "as_json": fmt == "cloudformation-json",
            "versions": self.versions.value.strip() or None,
            "pin_digests": self.pin_digests.value,
            "include_archived": not self.leave_archived.value,
        }
        if fmt in TERRAFORM_FORMATS:
            options["imports"] = self.imports.value
        return options

    def show(self, code: str) -> None:
        self.versions_problem.value = ""
        self.code.value = code

    def show_problem(self, message: str) -> None:
        self.versions_problem.value = problem_html(message)
