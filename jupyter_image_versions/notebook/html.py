"""Escaped HTML for notebooks: version and image tables, alias tags, messages, code; and the
IPython formatters that show an Image or ImageVersion as HTML."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from ..commands.base import Outcome
from ..commands.text import short_time, shorten_image
from ..core.labels import enum_words
from ..core.models import Image, ImageVersion

# JupyterLab's theme variables, each with a fallback for front ends without them (classic
# notebook, nbviewer, an exported HTML file): the text keeps the theme's font colour and the
# state is the colour of a bar beside it, so a badge reads in the light and the dark theme.
OK, BUSY, BAD = (
    "--jp-success-color1,#2e7d32",
    "--jp-info-color1,#1565c0",
    "--jp-error-color1,#c62828",
)
STATUS_COLOURS = {
    "CREATED": OK,
    "CREATING": BUSY,
    "CREATE_FAILED": BAD,
    "DELETING": "--jp-border-color1,#6d4c41",
    "DELETE_FAILED": BAD,
}
GUIDANCE_COLOURS = {
    "STABLE": OK,
    "TO_BE_ARCHIVED": "--jp-warn-color1,#ef6c00",
    "ARCHIVED": "--jp-layout-color4,#757575",
    "NOT_PROVIDED": "--jp-layout-color3,#9e9e9e",
}
MESSAGE_COLOURS = {
    "info": BUSY,
    "success": OK,
    "warning": "--jp-warn-color1,#ef6c00",
    "error": BAD,
}
OTHER = "--jp-border-color1,#555"
TEXT = "var(--jp-ui-font-color1,#212121)"


def var(colour: str) -> str:
    """'--jp-error-color1,#c62828' -> 'var(--jp-error-color1,#c62828)'."""
    return f"var({colour})"


def _badge(text: str, colour: str) -> str:
    return (
        f'<span class="jp-image-versions-badge" style="background:var(--jp-layout-color2,#eee);'
        f"color:{TEXT};white-space:nowrap;box-shadow:inset 3px 0 0 {var(colour)};border-radius:2px;"
        f'padding:0 4px 0 6px;margin-right:2px;font-size:90%">{escape(text)}</span>'
    )


def _tag(text: str) -> str:
    return (
        '<span style="border:1px solid var(--jp-border-color1,#888);border-radius:8px;'
        f'padding:0 5px;margin-right:2px;font-size:90%;color:{TEXT}">{escape(text)}</span>'
    )


CELL = "text-align:left;vertical-align:top;padding:2px 5px;line-height:1.4;white-space:normal"
# A history too wide for its cell scrolls inside its own box instead of running past its edge.
SCROLL = "overflow-x:auto;max-width:100%"
NOWRAP = '<span style="white-space:nowrap">{}</span>'
# One line, cut with an ellipsis at the cell's width (the whole in the tooltip around it).
ELLIPSIS = (
    "display:inline-block;vertical-align:top;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis"
)


def _words(*values: str | None, sep: str = "<br>") -> str:
    """Escaped values, each kept on one line, one under another (the cell stays narrow)."""
    return sep.join(NOWRAP.format(escape(v)) for v in values if v)


def version_row_html(v: ImageVersion) -> str:
    """One version in the history's compact columns: a 1200 px window shows every one (the
    aliases beside the number, the guidance under the status, framework and language, processor
    and job type, date and time stacked; the base image by its repository's name and tag; a
    failed version's reason on a line of its own)."""
    status = _badge(enum_words(v.status), STATUS_COLOURS.get(v.status, OTHER))
    if v.status == "DELETING":  # AWS deletes in the background: a spinner until it is gone
        status = '<i class="fa fa-spinner fa-spin" aria-label="deleting"></i> ' + status
    # Statuses and guidance in words, as in the sidebar ("To be archived", "Not provided").
    guidance_value = v.vendor_guidance or "NOT_PROVIDED"
    status += "<br>" + _badge(
        enum_words(guidance_value), GUIDANCE_COLOURS.get(guidance_value, OTHER)
    )
    base = v.base_image or ""
    created = short_time(v.created).split(" ", 1) if v.created else []
    cells = [
        f"<b>{v.version}</b> " + "".join(_tag(a) for a in v.aliases),
        status,
        _words(v.ml_framework, v.programming_lang),
        _words(v.processor, enum_words(v.job_type) if v.job_type else None),
        f'<span title="{escape(base, quote=True)}">'
        f'<code style="{ELLIPSIS};max-width:24ch">{escape(_repository_tag(base))}</code></span>',
        f'<span title="{escape(v.created.isoformat() if v.created else "")}">'
        f"{_words(*created)}</span>",
        f'<div style="min-width:8em;max-width:40ch;overflow-wrap:anywhere">'
        f"{escape(v.release_notes or '')}</div>",
    ]
    row = (
        '<tr class="jp-image-versions-deleting" style="opacity:0.5">'
        if v.status == "DELETING"
        else "<tr>"
    )
    html = row + "".join(f'<td style="{CELL}">{c}</td>' for c in cells) + "</tr>"
    if v.failure_reason:  # in full, on a line of its own under the version's cells
        html += (
            f'<tr><td></td><td colspan="{len(cells) - 1}" style="{CELL};color:{var(BAD)};'
            f'overflow-wrap:anywhere">{escape(v.failure_reason)}</td></tr>'
        )
    return html


def _repository_tag(uri: str) -> str:
    """'…/pytorch:2.3-gpu' for an ECR URI (the whole in the cell's tooltip)."""
    return "…/" + uri.rsplit("/", 1)[-1] if "/" in uri else shorten_image(uri)


def versions_html(versions: Sequence[ImageVersion], title: str | None = None) -> str:
    """History as an HTML table; every value from AWS is escaped."""
    heads = ["Version", "Status", "Framework", "Processor", "Base image", "Created"]
    heads += ["Release notes"]
    head = "".join(f'<th style="{CELL};white-space:nowrap">{h}</th>' for h in heads)
    caption = f"<caption>{escape(title)}</caption>" if title else ""
    body = "".join(version_row_html(v) for v in versions)
    return (
        f'<div class="jp-image-versions-scroll" style="{SCROLL}">'
        '<table class="jp-image-versions" style="font-size:var(--jp-ui-font-size1,13px)">'
        f"{caption}<thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def images_html(images: Sequence[Image]) -> str:
    rows = "".join(
        f"<tr><td>{escape(i.name)}</td><td>{escape(enum_words(i.status))}</td>"
        f"<td>{escape(i.display_name or '')}</td><td>{escape(short_time(i.created))}</td></tr>"
        for i in images
    )
    return (
        '<table class="jp-image-versions-images"><thead><tr><th>Image</th><th>Status</th>'
        f"<th>Display name</th><th>Created</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def aliases_html(aliases: dict[str, int]) -> str:
    """{alias: version} as an HTML table, aliases as tags."""
    rows = "".join(
        f"<tr><td>{_tag(alias)}</td><td>{escape(str(version))}</td></tr>"
        for alias, version in sorted(aliases.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return (
        '<table class="jp-image-versions-aliases"><thead><tr><th>Alias</th><th>Version</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def message_html(text: str, kind: str = "info") -> str:
    """One escaped message line (newlines kept), coloured by kind: info, success, warning, error."""
    colour = MESSAGE_COLOURS.get(kind, MESSAGE_COLOURS["info"])
    body = escape(text).replace("\n", "<br>")
    return (
        f'<div class="jp-image-versions-message jp-image-versions-{escape(kind)}" '
        f'style="color:{TEXT};border-left:3px solid {var(colour)};padding-left:6px">'
        f"{body}</div>"
    )


class Code(str):
    """Code a command returned (an export, a lifecycle script): a str that a notebook shows as
    escaped code, not as a quoted repr."""

    def _repr_html_(self) -> str:
        return f"<pre>{escape(self)}</pre>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def table_html(data: dict[str, Any]) -> str:
    """A {key: value} table (the Studio context), None values left out."""
    rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
        for k, v in data.items()
        if v is not None
    )
    return f"<table>{rows}</table>"


def outcome_html(outcome: Outcome) -> str | None:
    """The HTML of a command's result, chosen by its `view`; None when there is nothing to show."""
    value, view = outcome.value, outcome.view
    if view == "images":
        return images_html(value if isinstance(value, list) else [value])
    if view == "versions":
        return versions_html(value if isinstance(value, list) else [value], title=outcome.title)
    if view == "aliases":
        return aliases_html(value)
    if view == "table":
        return table_html(outcome.data or {})
    if view == "code":
        return f"<pre>{escape(outcome.text)}</pre>"
    if view == "message":
        return f"<p>{escape(outcome.text)}</p>"
    if view in ("contents-diff", "contents-find", "contents-notes"):
        from .analysis_html import diff_html, draft_html, find_html

        if view == "contents-find":
            return find_html(outcome.data or [], outcome.title)
        return (diff_html if view == "contents-diff" else draft_html)(outcome.data or {})
    if view == "doctor":
        from .doctor_html import doctor_html

        return doctor_html(outcome.data or {})
    if view == "contents":
        from .contents_html import contents_html

        return contents_html(outcome.data or {})
    return None


def register_formatters(ipython: Any) -> None:
    """Show Image and ImageVersion objects as HTML tables in this IPython."""
    formatter = ipython.display_formatter.formatters["text/html"]
    formatter.for_type(Image, lambda image: images_html([image]))
    formatter.for_type(ImageVersion, lambda version: versions_html([version]))
