"""Text tables for the CLI and escaped HTML for notebooks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from .models import Image, ImageVersion

STATUS_COLOURS = {
    "CREATED": "#2e7d32",
    "CREATING": "#1565c0",
    "CREATE_FAILED": "#c62828",
    "DELETING": "#6d4c41",
    "DELETE_FAILED": "#c62828",
}
GUIDANCE_COLOURS = {
    "STABLE": "#2e7d32",
    "TO_BE_ARCHIVED": "#ef6c00",
    "ARCHIVED": "#757575",
    "NOT_PROVIDED": "#9e9e9e",
}


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def shorten_image(uri: str | None, width: int = 48) -> str:
    """Keep the repository and tag of a long ECR URI: '…/team/pytorch:2.3-gpu'."""
    if not uri:
        return ""
    if len(uri) <= width:
        return uri
    _, _, path = uri.partition("/")
    path = path if len(path) < width else path[-(width - 1) :]
    return "…/" + path


def text_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain, aligned table."""
    cells = [[("" if c is None else str(c)).replace("\n", " ") for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


VERSION_HEADERS = ("VERSION", "STATUS", "ALIASES", "FRAMEWORK", "LANG", "PROC", "JOB", "GUIDANCE")


def versions_text(versions: Sequence[ImageVersion]) -> str:
    rows = [
        (
            v.version,
            v.status,
            ",".join(v.aliases),
            v.ml_framework,
            v.programming_lang,
            v.processor,
            v.job_type,
            v.vendor_guidance,
        )
        for v in versions
    ]
    text = text_table(VERSION_HEADERS, rows)
    failed = [f"  v{v.version}: {v.failure_reason}" for v in versions if v.failure_reason]
    return text + ("\n\nFailures:\n" + "\n".join(failed) if failed else "")


def version_text(v: ImageVersion) -> str:
    """Every field of one version, one per line."""
    d = v.to_dict()
    d["aliases"] = ", ".join(v.aliases)
    width = max(len(k) for k in d)
    return "\n".join(f"{k.ljust(width)}  {'' if val is None else val}" for k, val in d.items())


def images_text(images: Sequence[Image]) -> str:
    rows = [(i.name, i.status, i.display_name, _when(i.created)) for i in images]
    return text_table(("IMAGE", "STATUS", "DISPLAY NAME", "CREATED"), rows)


def _badge(text: str, colour: str) -> str:
    return (
        f'<span style="background:{colour};color:#fff;border-radius:3px;'
        f'padding:0 4px;margin-right:2px;font-size:90%">{escape(text)}</span>'
    )


def _tag(text: str) -> str:
    return (
        '<span style="border:1px solid #888;border-radius:8px;padding:0 5px;'
        f'margin-right:2px;font-size:90%">{escape(text)}</span>'
    )


def version_row_html(v: ImageVersion) -> str:
    status = _badge(v.status, STATUS_COLOURS.get(v.status, "#555"))
    if v.failure_reason:
        status += f'<div style="color:#c62828">{escape(v.failure_reason)}</div>'
    guidance = (
        _badge(v.vendor_guidance, GUIDANCE_COLOURS.get(v.vendor_guidance, "#555"))
        if (v.vendor_guidance)
        else ""
    )
    base = v.base_image or ""
    cells = [
        f"<b>{v.version}</b>",
        status,
        "".join(_tag(a) for a in v.aliases),
        escape(v.ml_framework or ""),
        escape(v.programming_lang or ""),
        escape(v.processor or ""),
        escape(v.job_type or ""),
        guidance,
        f'<span title="{escape(base, quote=True)}">'
        f"<code>{escape(shorten_image(base))}</code></span>",
        f'<span title="{escape(v.created.isoformat() if v.created else "")}">'
        f"{escape(_when(v.created))}</span>",
        escape(v.release_notes or ""),
    ]
    return "<tr>" + "".join(f'<td style="text-align:left">{c}</td>' for c in cells) + "</tr>"


def versions_html(versions: Sequence[ImageVersion], title: str | None = None) -> str:
    """History as an HTML table; every value from AWS is escaped."""
    heads = ["Version", "Status", "Aliases", "Framework", "Language", "Processor", "Job type"]
    heads += ["Guidance", "Base image", "Created", "Release notes"]
    head = "".join(f'<th style="text-align:left">{h}</th>' for h in heads)
    caption = f"<caption>{escape(title)}</caption>" if title else ""
    body = "".join(version_row_html(v) for v in versions)
    return (
        f'<table class="jp-image-versions">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def images_html(images: Sequence[Image]) -> str:
    rows = "".join(
        f"<tr><td>{escape(i.name)}</td><td>{escape(i.status)}</td>"
        f"<td>{escape(i.display_name or '')}</td><td>{escape(_when(i.created))}</td></tr>"
        for i in images
    )
    return (
        '<table class="jp-image-versions-images"><thead><tr><th>Image</th><th>Status</th>'
        f"<th>Display name</th><th>Created</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def aliases_text(aliases: dict[str, int]) -> str:
    return text_table(("ALIAS", "VERSION"), sorted(aliases.items(), key=lambda kv: (-kv[1], kv[0])))


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


MESSAGE_COLOURS = {
    "info": "#1565c0",
    "success": "#2e7d32",
    "warning": "#ef6c00",
    "error": "#c62828",
}


def message_html(text: str, kind: str = "info") -> str:
    """One escaped message line (newlines kept), coloured by kind: info, success, warning, error."""
    colour = MESSAGE_COLOURS.get(kind, MESSAGE_COLOURS["info"])
    body = escape(text).replace("\n", "<br>")
    return (
        f'<div class="jp-image-versions-message jp-image-versions-{escape(kind)}" '
        f'style="color:{colour}">{body}</div>'
    )
