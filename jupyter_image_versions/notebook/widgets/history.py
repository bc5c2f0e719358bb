"""The version history: an escaped HTML table, paging, and actions on the chosen version."""

from __future__ import annotations

import ipywidgets as w

from ...core.labels import enum_words
from ...core.models import ImageVersion
from ...core.spec import alias_problem
from ..html import message_html, versions_html
from .form import LABEL, enum_choices, problem_html


def _hidden(box: w.Box, hidden: bool) -> None:
    box.layout.display = "none" if hidden else None


class HistoryView(w.VBox):
    """Widgets only; the panel loads pages and runs the actions."""

    def __init__(self) -> None:
        self.versions: list[ImageVersion] = []
        self.image_aliases: dict[str, int] = {}
        self.table = w.HTML()
        self.prev_button = w.Button(description="Newer", icon="arrow-left", disabled=True)
        self.next_button = w.Button(description="Older", icon="arrow-right", disabled=True)
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.page_label = w.HTML()

        self.version = w.Dropdown(description="Version", options=[], style=LABEL)
        self.alias_name = w.Text(description="Alias", placeholder="2.3.1", style=LABEL)
        self.alias_problem = w.HTML()
        self.add_alias_button = w.Button(description="Add alias", icon="tag", disabled=True)
        self.remove_alias = w.Dropdown(description="Remove alias", options=[], style=LABEL)
        self.remove_alias_button = w.Button(description="Remove", icon="minus", disabled=True)
        self.move_alias = w.Dropdown(description="Move alias here", options=[], style=LABEL)
        self.move_alias_button = w.Button(description="Move here", icon="arrow-down", disabled=True)
        choices = [c for c in enum_choices("VendorGuidance") if c[1] is not None]
        self.guidance = w.Dropdown(description="Vendor guidance", options=choices, style=LABEL)
        self.guidance_button = w.Button(description="Set guidance", icon="flag", disabled=True)
        self.delete_button = w.Button(
            description="Delete version…", icon="trash", button_style="danger", disabled=True
        )
        self.attach_domain = w.Text(
            description="Studio domain", placeholder="d-xxxxxxxxxxxx", style=LABEL
        )
        self.attach_app_type = w.Dropdown(
            description="App", options=["JupyterLab", "KernelGateway", "CodeEditor"], style=LABEL
        )
        self.attach_force = w.Checkbox(description="even with image errors", indent=False)
        self.attach_button = w.Button(description="Attach to domain", icon="link", disabled=True)
        self.check_image_button = w.Button(
            description="Check image", icon="stethoscope", disabled=True
        )
        self.confirm_text = w.HTML()
        self.confirm_delete_button = w.Button(description="Yes, delete", button_style="danger")
        self.cancel_delete_button = w.Button(description="Cancel")
        self.confirm_box = w.HBox(
            [self.confirm_text, self.confirm_delete_button, self.cancel_delete_button]
        )
        _hidden(self.confirm_box, True)
        self.cancel_delete_button.on_click(lambda _: self.hide_confirm())

        self.version.observe(lambda _: self._selection_changed(), names="value")
        self.alias_name.observe(lambda _: self._alias_changed(), names="value")
        self.attach_domain.observe(lambda _: self._selection_changed(), names="value")
        self.actions = w.VBox(
            [
                self.version,
                w.HBox([self.alias_name, self.add_alias_button]),
                self.alias_problem,
                w.HBox([self.remove_alias, self.remove_alias_button]),
                w.HBox([self.move_alias, self.move_alias_button]),
                w.HBox([self.guidance, self.guidance_button]),
                w.HBox(
                    [
                        self.attach_domain,
                        self.attach_app_type,
                        self.attach_force,
                        self.attach_button,
                    ]
                ),
                w.HBox([self.check_image_button, self.delete_button]),
                self.confirm_box,
            ]
        )
        super().__init__(
            [
                w.HBox([self.prev_button, self.page_label, self.next_button, self.refresh_button]),
                self.table,
                self.actions,
            ]
        )

    @property
    def selected(self) -> ImageVersion | None:
        for v in self.versions:
            if v.version == self.version.value:
                return v
        return None

    def show(
        self, image_name: str, versions: list[ImageVersion], aliases: dict[str, int], page: int
    ) -> None:
        """Show one page of versions (newest first) and the image's {alias: version}."""
        shown = (image_name, tuple(versions), tuple(sorted(aliases.items())), page)
        if shown == getattr(self, "_shown", None):
            return  # unchanged (like a 304): keep the table, the selection and an open confirm
        self._shown = shown
        self.versions = list(versions)
        self.image_aliases = dict(aliases)
        title = f"{image_name}: page {page + 1}" if versions else f"{image_name} has no versions"
        self.table.value = versions_html(self.versions, title=title)
        self.page_label.value = f"&nbsp;page {page + 1}&nbsp;"
        previous = self.version.value
        options = [(f"{v.version} ({enum_words(v.status)})", v.version) for v in self.versions]
        self.version.options = options
        numbers = [v.version for v in self.versions]
        self.version.value = previous if previous in numbers else (numbers[0] if numbers else None)
        self._selection_changed()

    def clear(self, message: str = "") -> None:
        self._shown = None
        self.versions, self.image_aliases = [], {}
        self.table.value = message_html(message) if message else ""
        self.version.options = []
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected
        self.hide_confirm()
        own = list(chosen.aliases) if chosen else []
        self.remove_alias.options = own
        others = sorted(a for a, n in self.image_aliases.items() if chosen and n != chosen.version)
        self.move_alias.options = others
        if chosen and chosen.vendor_guidance:
            self.guidance.value = chosen.vendor_guidance
        # No actions on a version AWS is deleting; the panel polls until it is gone.
        none = chosen is None or chosen.status == "DELETING"
        self.remove_alias_button.disabled = none or not own
        self.move_alias_button.disabled = none or not others
        self.guidance_button.disabled = none
        self.delete_button.disabled = none
        self.check_image_button.disabled = chosen is None or not chosen.base_image
        self.attach_button.disabled = none or not self.attach_domain.value.strip()
        self._alias_changed()

    def _alias_changed(self) -> None:
        name = self.alias_name.value.strip()
        problem = alias_problem(name) if name else None
        self.alias_problem.value = problem_html(problem)
        chosen = self.selected
        unavailable = chosen is None or chosen.status == "DELETING"
        self.add_alias_button.disabled = unavailable or not name or bool(problem)

    def ask_delete(self) -> None:
        chosen = self.selected
        if chosen is None:
            return
        aliases = f" (aliases: {', '.join(chosen.aliases)})" if chosen.aliases else ""
        question = f"Delete {chosen.image_name} version {chosen.version}{aliases}? "
        question += "This cannot be undone."
        self.confirm_text.value = message_html(question, "warning")
        _hidden(self.confirm_box, False)

    def hide_confirm(self) -> None:
        self.confirm_text.value = ""
        _hidden(self.confirm_box, True)

    @property
    def confirming(self) -> bool:
        return self.confirm_box.layout.display != "none"
