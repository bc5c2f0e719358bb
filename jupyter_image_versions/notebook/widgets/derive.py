"""The panel's Derive section: a new version from the version chosen in the history, with
Python packages added (requirements text, tag, register and alias); the plan, the progress by
bytes, then the history reloaded with the new row."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from ...core.errors import ImageVersionsError, SpecError
from ...derive.request import DeriveRequest
from .form import LABEL, WIDE, problem_html


class DeriveView(w.VBox):
    """Derive from ``panel.history.selected`` through ``panel.worker`` and ``panel.service``."""

    def __init__(self, panel: Any) -> None:
        self._panel = panel
        self.requirements = w.Textarea(
            description="Requirements",
            placeholder="requirements.txt lines, e.g. polars>=1",
            style=LABEL,
            layout=w.Layout(width="95%"),
        )
        self.tag = w.Text(description="Tag", placeholder="the new image's tag", style=LABEL)
        self.register = w.Checkbox(description="Register as the next version", value=True)
        self.alias = w.Text(description="Alias", placeholder="optional", style=LABEL)
        self.derive_button = w.Button(description="Derive", icon="cubes", button_style="primary")
        self.plan = w.HTML()
        self.progress = w.IntProgress(min=0, max=1, value=0, description="Upload", style=LABEL)
        self.status = w.HTML()
        self.derive_button.on_click(lambda _: self.start())
        super().__init__(
            [
                w.HTML("<b>Derive a new version (add Python packages, no Docker)</b>"),
                self.requirements,
                w.HBox([self.tag, self.register, self.alias]),
                self.derive_button,
                self.plan,
                self.progress,
                self.status,
            ],
            layout=WIDE,
        )

    def start(self) -> None:
        """Derive from the chosen version in the background."""
        chosen = self._panel.history.selected
        if chosen is None:
            self.status.value = problem_html("Choose a version in the history to derive from.")
            return
        request = DeriveRequest(
            tag=self.tag.value.strip(),
            image_name=chosen.image_name,
            version=chosen.version,
            requirements_text=self.requirements.value,
            register=self.register.value,
            new_alias=(self.alias.value.strip() or None) if self.register.value else None,
        )
        self.plan.value, self.progress.value = "", 0
        self.status.value = problem_html(f"Deriving from v{chosen.version}…", "info")
        self.derive_button.disabled = True
        self._panel.worker.submit(self._run, request)

    def _run(self, request: DeriveRequest) -> None:
        try:
            result = self._panel.service.derive(request, self._on_stage)
        except SpecError as exc:
            shown = "; ".join(f"{k}: {v}" for k, v in exc.problems.items()) or exc.message
            self.status.value = problem_html(shown)
            return
        except ImageVersionsError as exc:
            self.status.value = problem_html(exc.message)
            return
        finally:
            self.derive_button.disabled = False
        if result.version is not None:
            self.status.value = problem_html(f"Registered v{result.version.version}", "success")
            self._panel.refresh_history()
        else:
            self.status.value = problem_html(f"Pushed {result.pushed.uri}", "success")

    def _on_stage(self, stage: str, info: dict[str, Any]) -> None:
        if stage == "planned":
            plan = info["plan"]
            lines = [f"add {p['name']} {p['version']}" for p in plan["add"]]
            lines += [
                f"upgrade {p['name']} {p['replaces']} → {p['version']}" for p in plan["upgrade"]
            ]
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            where = escape(plan["target"]["site_packages"])
            self.plan.value = f"<b>Plan</b> ({where})<ul>{items}</ul>"
        elif "bytes_total" in info:
            self.progress.max = max(1, info["bytes_total"])
            self.progress.value = info["bytes_sent"]
        elif stage != "done":
            self.status.value = problem_html(f"{stage}…", "info")

    def state_text(self) -> str:
        """The plan and status shown (tests read them)."""
        return self.plan.value + self.status.value
