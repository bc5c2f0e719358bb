"""The panel's Contents section: what a version holds, and the package diff of two versions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...contents.inventory import filtered
from ...core.errors import ImageVersionsError
from ..analysis_html import diff_html
from ..contents_html import contents_html
from .form import LABEL, WIDE, problem_html

KINDS = ("changed", "added", "removed")
ECOSYSTEMS = [("all", None), ("Python (PyPI)", "pypi"), ("Conda", "conda")]
ECOSYSTEMS += [("Debian (dpkg)", "deb"), ("Alpine (apk)", "apk")]


class ContentsView(w.VBox):
    """Two versions (a number of the image chosen in `image`, IMAGE:VERSION, IMAGE@ALIAS or an
    ECR URI), Contents of the first and Package diff of both; the answer is filtered here without
    a new read. Reads run on the panel's worker; only the newest answer is shown."""

    def __init__(
        self,
        worker: Any,
        service: Callable[[], Any],
        image: w.ValueWidget,
        history: Any = None,
    ) -> None:
        self._worker, self._service, self._image = worker, service, image
        self._generation = 0
        self._shown: tuple[str, dict[str, Any]] | None = None
        self.target = w.Text(
            description="Version", placeholder="3, IMAGE:3, IMAGE@ALIAS or an ECR URI", style=LABEL
        )
        self.other = w.Text(description="Diff to", placeholder="5 (for Package diff)", style=LABEL)
        self.contents_button = w.Button(description="Contents", icon="list")
        self.diff_button = w.Button(description="Package diff", icon="exchange")
        self.cancel_button = w.Button(description="Cancel", icon="stop", disabled=True)
        self.ecosystem = w.Dropdown(description="Ecosystem", options=ECOSYSTEMS, style=LABEL)
        self.filter = w.Text(description="Filter", placeholder="name or version", style=LABEL)
        self.status = w.HTML()
        self.output = w.HTML()
        self.contents_button.on_click(lambda _: self.show_contents())
        self.diff_button.on_click(lambda _: self.show_diff())
        self.cancel_button.on_click(lambda _: self.cancel())
        for widget in (self.ecosystem, self.filter):
            widget.observe(lambda _: self._render(), names="value")
        if history is not None:  # the version chosen in the history is the one read
            w.dlink((history.version, "value"), (self.target, "value"), _number_text)
        super().__init__(
            [
                w.HTML("<b>Contents and package diff</b>"),
                w.HBox([self.target, self.contents_button, self.cancel_button]),
                w.HBox([self.other, self.diff_button]),
                w.HBox([self.ecosystem, self.filter]),
                self.status,
                self.output,
            ],
            layout=WIDE,
        )

    def resolve(self, text: str) -> str:
        """A bare version number means the chosen image's version."""
        text = text.strip()
        if text.isascii() and text.isdigit() and self._image.value:
            return f"{self._image.value}:{text}"
        return text

    def show_contents(self) -> None:
        target = self.resolve(self.target.value)
        if not target:
            self.status.value = problem_html("Version: give a version number or IMAGE:VERSION.")
            return
        show = self._progress(f"Reading {target}")
        self._start(
            f"Reading {target}…",
            lambda: self._service().contents(target, on_progress=show),
            "contents",
        )

    def show_diff(self) -> None:
        a, b = self.resolve(self.target.value), self.resolve(self.other.value)
        if not a or not b:
            field = "Version" if not a else "Diff to"
            self.status.value = problem_html(f"{field}: give a version number or IMAGE:VERSION.")
            return
        self._start(f"Comparing {a} with {b}…", lambda: self._service().diff(a, b), "diff")

    def cancel(self) -> None:
        """Stop waiting for the read under way: its answer is dropped (what it read of the layers
        stays in the cache)."""
        self._generation += 1
        self.cancel_button.disabled = True
        self.status.value = problem_html("Cancelled.", "warning")

    def _start(self, what: str, read: Callable[[], Any], kind: str) -> None:
        self._generation += 1
        generation, started = self._generation, time.monotonic()
        self.status.value = problem_html(what, "info")
        self.cancel_button.disabled = False

        def run() -> None:
            try:
                found = read()
                data = found.to_dict() if hasattr(found, "to_dict") else found
            except ImageVersionsError as exc:
                if generation == self._generation:
                    self.cancel_button.disabled = True
                    self.status.value = problem_html(exc.message)
                return
            if generation != self._generation:
                return
            self.cancel_button.disabled = True
            seconds = time.monotonic() - started
            read_bytes = data.get("bytes_read") or 0
            source = f"{read_bytes / 1e6:.1f} MB read" if read_bytes else "from the cache"
            self.status.value = problem_html(f"Done in {seconds:.1f} s ({source}).", "success")
            self._shown = (kind, data)
            self._render()

        self._worker.submit(run)

    def _progress(self, what: str) -> Callable[[dict[str, Any]], None]:
        """The reader's progress (layers done, MB) in the status line, while it is the newest."""
        generation = self._generation + 1  # the one _start is about to begin

        def show(progress: dict[str, Any]) -> None:
            if generation == self._generation:
                read, total = progress["bytes_read"] / 1e6, progress["bytes_total"] / 1e6
                done = progress["layers_done"]
                text = f"{what}: {done} layer(s) done, {read:.1f} of {total:.1f} MB…"
                self.status.value = problem_html(text, "info")

        return show

    def _render(self) -> None:
        if self._shown is None:
            return
        kind, data = self._shown
        if kind == "contents":
            text = self.filter.value.strip() or None
            self.output.value = contents_html(filtered(data, self.ecosystem.value, text))
        else:
            self.output.value = diff_html(diff_filtered(data, self.filter.value))


def diff_filtered(data: dict[str, Any], text: str) -> dict[str, Any]:
    """The diff's JSON with only the packages whose name holds ``text`` (any case)."""
    needle = text.strip().lower()
    if not needle:
        return data
    keep = {k: [p for p in data[k] if needle in p["name"].lower()] for k in KINDS}
    return {**data, **keep}


def _number_text(version: Any) -> str:
    return "" if version is None else str(getattr(version, "version", version))
