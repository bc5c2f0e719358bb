"""The panel's image check: the doctor on the register form's base image (or any ECR URI)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...core.errors import ImageVersionsError
from ..doctor_html import doctor_html
from .form import LABEL, WIDE, problem_html

APP_TYPES = ("JupyterLab", "CodeEditor", "KernelGateway")


class DoctorView(w.VBox):
    """An ECR URI, an app type and Check; the report as escaped HTML."""

    def __init__(self, worker: Any, service: Callable[[], Any]) -> None:
        self._worker = worker
        self._service = service
        self._generation = 0
        self.image = w.Text(
            description="Image", placeholder="ECR URI (the form's base image)", style=LABEL
        )
        self.app_type = w.Dropdown(description="App type", options=APP_TYPES, style=LABEL)
        self.check_button = w.Button(description="Check image", icon="stethoscope")
        self.output = w.HTML()
        self.check_button.on_click(lambda _: self.check())
        self.app_type.observe(lambda _: self.check() if self.output.value else None, "value")
        super().__init__(
            [w.HBox([self.image, self.app_type, self.check_button]), self.output], layout=WIDE
        )

    def check(self) -> None:
        """Run the doctor in the background; only the newest answer is shown."""
        image, app_type = self.image.value.strip(), self.app_type.value
        if not image:
            self.output.value = problem_html("Choose a base image to check.")
            return
        self._generation += 1
        generation = self._generation
        self.output.value = problem_html(f"Checking {image} for {app_type}…", "info")

        def run() -> None:
            try:
                report = self._service().doctor(image, app_type)
                html = doctor_html(report.to_dict())
            except ImageVersionsError as exc:
                html = problem_html(exc.message)
            if generation == self._generation:
                self.output.value = html

        self._worker.submit(run)

    def check_version(self, version: Any) -> None:
        """Check the base image of a version chosen in the history (on demand)."""
        if version is not None and version.base_image:
            self.image.value = version.base_image
            self.check()

    def report_text(self) -> str:
        """The shown HTML (tests read it)."""
        return self.output.value
