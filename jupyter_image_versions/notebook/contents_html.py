"""Escaped HTML of an image's contents (the magic's `contents` view): the summary, then the
packages grouped by ecosystem."""

from __future__ import annotations

from html import escape
from typing import Any

from ..commands.contents import summary_lines


def contents_html(data: dict[str, Any]) -> str:
    """The summary lines and one table per ecosystem; every string escaped."""
    summary = "<br>".join(escape(line.strip()) for line in summary_lines(data))
    groups: dict[str, list[dict[str, Any]]] = {}
    for package in data.get("packages") or []:
        groups.setdefault(str(package.get("ecosystem")), []).append(package)
    sections = []
    for ecosystem, packages in groups.items():
        rows = "".join(
            f"<tr><td>{escape(str(p.get('name')))}</td><td>{escape(str(p.get('version')))}</td>"
            f"<td>{escape(str(p.get('installer') or ''))}</td>"
            f"<td><code>{escape(str(p.get('location')))}</code></td></tr>"
            for p in packages
        )
        sections.append(
            f"<details open><summary><b>{escape(ecosystem)}</b> ({len(packages)})</summary>"
            "<table><tr><th>name</th><th>version</th><th>installer</th><th>location</th></tr>"
            f"{rows}</table></details>"
        )
    body = "".join(sections) or "<p>no package matches</p>"
    return f"<div><p>{summary}</p>{body}</div>"
