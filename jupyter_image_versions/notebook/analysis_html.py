"""Escaped HTML of a diff, a find and a release-notes draft (the magic's views)."""

from __future__ import annotations

from html import escape
from typing import Any

from ..commands.analysis_text import diff_summary, suggestion_lines

# html.py's look (it imports this module lazily, so its names are not imported back)
TEXT = "var(--jp-ui-font-color1,#212121)"
CELL = "text-align:left;vertical-align:top;padding:2px 6px;line-height:1.4;white-space:nowrap"
SCROLL = "overflow-x:auto;max-width:100%"
OK, BAD = "--jp-success-color1,#2e7d32", "--jp-error-color1,#c62828"


def var(colour: str) -> str:
    return f"var({colour})"


KIND_COLOURS = {
    "major": BAD,
    "minor": "--jp-warn-color1,#ef6c00",
    "patch": OK,
    "other": "--jp-layout-color4,#757575",
}


def _table(heads: list[str], rows: list[list[str]], caption: str) -> str:
    """A table of already escaped cells, with an escaped caption."""
    head = "".join(f'<th style="{CELL}">{escape(h)}</th>' for h in heads)
    body = "".join(
        "<tr>" + "".join(f'<td style="{CELL}">{c}</td>' for c in row) + "</tr>" for row in rows
    )
    return (
        f'<div class="jp-image-versions-scroll" style="{SCROLL}">'
        f'<table class="jp-image-versions-contents" style="width:max-content;max-width:none">'
        f'<caption style="text-align:left;font-weight:bold;color:{TEXT}">{escape(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _kind(kind: str, downgrade: bool) -> str:
    colour = KIND_COLOURS.get(kind, KIND_COLOURS["other"])
    label = kind + (" (downgrade)" if downgrade else "")
    style = f"box-shadow:inset 3px 0 0 {var(colour)};padding-left:6px"
    return f'<span style="{style}">{escape(label)}</span>'


def diff_html(data: dict[str, Any]) -> str:
    """The summary lines, then changed, added and removed packages; every value escaped."""
    summary = "<br>".join(escape(line.strip()) for line in diff_summary(data))
    parts = [f'<div class="jp-image-versions-diff" style="color:{TEXT}">{summary}</div>']
    if data["changed"]:
        rows = [
            [
                escape(c["ecosystem"]),
                escape(c["name"]),
                f"<code>{escape(c['from'])}</code>",
                f"<code>{escape(c['to'])}</code>",
                _kind(c["kind"], c["downgrade"]),
            ]
            for c in data["changed"]
        ]
        heads = ["Ecosystem", "Name", "From", "To", "Kind"]
        parts.append(_table(heads, rows, f"Changed ({len(rows)})"))
    for heading, key in (("Added", "added"), ("Removed", "removed")):
        if data[key]:
            rows = [
                [escape(p["ecosystem"]), escape(p["name"]), f"<code>{escape(p['version'])}</code>"]
                for p in data[key]
            ]
            parts.append(_table(["Ecosystem", "Name", "Version"], rows, f"{heading} ({len(rows)})"))
    return "".join(parts)


def find_html(versions: list[dict[str, Any]], title: str | None) -> str:
    """The matching versions, each with the packages that met the requirements."""
    rows = [
        [
            f"<b>{escape(str(v['version']))}</b>",
            escape(v["status"]),
            escape(", ".join(v["aliases"])),
            escape(
                ", ".join(f"{p['name']} {p['version']} ({p['ecosystem']})" for p in v["matches"])
            ),
        ]
        for v in versions
    ]
    return _table(["Version", "Status", "Aliases", "Matches"], rows, title or "")


def draft_html(data: dict[str, Any]) -> str:
    """The drafted notes in a box, and the suggestions (not sent) under it."""
    if data["notes"] is None:
        head = f"<p>No release notes drafted: {escape(data['reason'])}.</p>"
    else:
        head = (
            f"<p>Release notes drafted from the changes since version "
            f"{escape(str(data['against']))} ({len(data['notes'])} of {data['limit']} characters):"
            f'</p><blockquote style="color:{TEXT}">{escape(data["notes"])}</blockquote>'
        )
    accept = f"register {data['image_name']} {data['base_image']} ..."
    lines = suggestion_lines(data["suggested"], accept)
    tail = "<br>".join(escape(line) for line in lines)
    return f'<div class="jp-image-versions-notes">{head}<p>{tail}</p></div>'
