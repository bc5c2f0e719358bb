"""Escaped HTML of the package diff of two images, from its JSON shape (the panel's Contents
section; an inventory's HTML is `contents_html.py`'s)."""

from __future__ import annotations

from html import escape
from typing import Any

from .html import CELL, SCROLL

MUTED = "color:var(--jp-ui-font-color2,#616161)"
MARKS = {
    "added": "var(--jp-success-color1,#2e7d32)",
    "removed": "var(--jp-error-color1,#c62828)",
    "changed": "var(--jp-warn-color1,#ef6c00)",
}


def _pair(value: Any) -> tuple[str, str] | None:
    """(from, to) of a diff's fact (OS, Python, CUDA) when it changed."""
    if not isinstance(value, dict) or "from" not in value:
        return None

    def text(v: Any) -> str:
        if isinstance(v, dict):
            return str(v.get("pretty_name") or v.get("version") or v)
        return "—" if v in (None, "") else str(v)

    a, b = text(value.get("from")), text(value.get("to"))
    return (a, b) if a != b else None


def diff_html(data: dict[str, Any], text: str = "") -> str:
    """Changed, added, removed packages (the server's order: most significant first), with
    their counts, and the OS / Python / CUDA changes; filtered by `text`."""
    needle = text.strip().lower()
    a = (data.get("a") or {}).get("target", "a")
    b = (data.get("b") or {}).get("target", "b")
    rows: list[tuple[str, dict[str, Any], str, str]] = []
    for c in data.get("changed") or []:
        rows.append(("changed", c, str(c.get("from")), str(c.get("to"))))
    for p in data.get("added") or []:
        rows.append(("added", p, "—", str(p.get("version"))))
    for p in data.get("removed") or []:
        rows.append(("removed", p, str(p.get("version")), "—"))
    counts = {k: sum(r[0] == k for r in rows) for k in ("changed", "added", "removed")}
    heading = (
        f"Packages: {counts['changed']} changed, {counts['added']} added, "
        f"{counts['removed']} removed"
    )
    shown = [r for r in rows if not needle or needle in str(r[1].get("name", "")).lower()]
    facts = "".join(
        f"<li><b>{escape(label)}</b> {escape(pair[0])} → {escape(pair[1])}</li>"
        for key, label in (("os", "OS"), ("python", "Python"), ("cuda", "CUDA"))
        if (pair := _pair(data.get(key)))
    )
    body = "".join(
        f'<tr data-kind="{kind}"><td style="{CELL};box-shadow:inset 3px 0 0 {MARKS[kind]}">'
        f'{escape(kind)}</td><td style="{CELL}">{escape(str(p.get("name")))}'
        f"{' (' + escape(str(p.get('kind'))) + ')' if kind == 'changed' and p.get('kind') else ''}"
        f'</td><td style="{CELL};{MUTED}">{escape(str(p.get("ecosystem")))}</td>'
        f'<td style="{CELL}">{escape(old)}</td><td style="{CELL}">{escape(new)}</td></tr>'
        for kind, p, old, new in shown
    )
    head = "".join(
        f'<th style="{CELL}">{escape(h)}</th>' for h in ("", "Package", "Ecosystem", a, b)
    )
    table = (
        f'<div style="{SCROLL}"><table class="jp-image-versions-package-diff">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        if shown
        else f"<p>{'No package change matches.' if rows else 'The same packages.'}</p>"
    )
    return f"<p><b>{escape(heading)}</b></p>" + (f"<ul>{facts}</ul>" if facts else "") + table
