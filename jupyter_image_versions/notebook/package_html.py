"""Escaped HTML of what images hold: an inventory (`contents`) and a package diff (`diff`), from
their JSON shapes (`Inventory.to_dict()`, the diff's `to_dict()`): the panel's Contents section."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from .html import CELL, SCROLL, TEXT

ECOSYSTEM_LABELS = {
    "pypi": "Python (PyPI)",
    "conda": "Conda",
    "deb": "Debian (dpkg)",
    "apk": "Alpine (apk)",
}
ORDER = ("pypi", "conda", "deb", "apk")
MUTED = "color:var(--jp-ui-font-color2,#616161)"
GROUP = f"background:var(--jp-layout-color2,#eee);color:{TEXT};font-weight:600"
MARKS = {
    "added": "var(--jp-success-color1,#2e7d32)",
    "removed": "var(--jp-error-color1,#c62828)",
    "changed": "var(--jp-warn-color1,#ef6c00)",
}


def size_text(n: int | None) -> str:
    """Bytes in B, KB, MB, GB (base 1000, as registries show sizes)."""
    if n is None:
        return "—"
    value, units = float(n), ("B", "KB", "MB", "GB", "TB")
    unit = 0
    while abs(value) >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    digits = 0 if unit == 0 or abs(value) >= 100 else 1
    return f"{value:.{digits}f} {units[unit]}"


def _ecosystems(packages: Iterable[dict[str, Any]]) -> list[str]:
    present = {p.get("ecosystem", "") for p in packages}
    return [e for e in ORDER if e in present] + sorted(present - set(ORDER))


def _matches(p: dict[str, Any], needle: str) -> bool:
    fields = ("name", "version", "installer", "location")
    return not needle or any(needle in str(p.get(f) or "").lower() for f in fields)


def summary_html(data: dict[str, Any]) -> str:
    """OS, architecture, Python, CUDA, size, layers: one escaped table."""
    os_ = data.get("os") or {}
    os_text = os_.get("pretty_name") or " ".join(
        x for x in (os_.get("id"), os_.get("version_id")) if x
    )
    pythons = data.get("python") or []
    default = next((p for p in pythons if p.get("default")), pythons[0] if pythons else None)
    python = f"{default['version']} ({default['path']})" if default else "—"
    if len(pythons) > 1:
        python += f" +{len(pythons) - 1} other(s)"
    size = data.get("size") or {}
    read = data.get("bytes_read") or 0
    source = f"{size_text(read)} read" if read else "all from the cache"
    layers = f"{data.get('layers', 0)} ({source})"
    facts = {
        "OS": os_text or "—",
        "Architecture": data.get("architecture") or "—",
        "Python": python,
        "CUDA": data.get("cuda") or "none",
        "Size": f"{size_text(size.get('compressed'))} compressed, "
        f"{size_text(size.get('uncompressed'))} uncompressed",
        "Layers": layers,
        "Digest": data.get("digest") or "—",
    }
    rows = "".join(
        f'<tr><th style="{CELL};{MUTED}">{escape(k)}</th>'
        f'<td style="{CELL}">{escape(str(v))}</td></tr>'
        for k, v in facts.items()
    )
    return f'<table class="jp-image-versions-summary">{rows}</table>'


def contents_html(data: dict[str, Any], ecosystem: str | None = None, text: str = "") -> str:
    """The summary, then the packages grouped by ecosystem (sorted by name), filtered by
    `ecosystem` and by `text` (any of name, version, installer, location)."""
    needle = text.strip().lower()
    packages = [
        p
        for p in data.get("packages") or []
        if (ecosystem is None or p.get("ecosystem") == ecosystem) and _matches(p, needle)
    ]
    head = "".join(
        f'<th style="{CELL}">{h}</th>' for h in ("Package", "Version", "Installer", "Location")
    )
    groups = []
    for eco in _ecosystems(packages):
        rows = sorted(
            (p for p in packages if p.get("ecosystem") == eco),
            key=lambda p: str(p.get("name", "")).lower(),
        )
        label = f"{ECOSYSTEM_LABELS.get(eco, eco)} · {len(rows)} package(s)"
        body = "".join(
            f'<tr data-ecosystem="{escape(eco)}">'
            f'<td style="{CELL}">{escape(str(p.get("name")))}</td>'
            f'<td style="{CELL}">{escape(str(p.get("version")))}</td>'
            f'<td style="{CELL}">{escape(str(p.get("installer") or "—"))}</td>'
            f'<td style="{CELL};{MUTED}">{escape(str(p.get("location") or "—"))}</td></tr>'
            for p in rows
        )
        groups.append(
            f'<tbody><tr><th colspan="4" style="{CELL};{GROUP}">{escape(label)}</th></tr>'
            f"{body}</tbody>"
        )
    shown = f"{len(packages)} package(s)" + (f" matching “{text.strip()}”" if needle else "")
    table = (
        f'<div style="{SCROLL}"><table class="jp-image-versions-packages">'
        f"<thead><tr>{head}</tr></thead>{''.join(groups)}</table></div>"
        if packages
        else ""
    )
    return f"{summary_html(data)}<p>{escape(shown)}</p>{table}"


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
