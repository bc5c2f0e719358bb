"""Text forms of a diff, a find, an SBOM summary and a release-notes draft, from their JSON."""

from __future__ import annotations

from typing import Any

from ..contents.notes import MINUS
from .text import Styled, text_table

KIND_STYLES = {"major": "bold red", "minor": "yellow", "patch": "green", "other": "dim"}


def megabytes(value: int | None) -> str:
    """'1,234.5 MB', or kB below a megabyte (the demo's images hold metadata only)."""
    if value is None:
        return "?"
    return f"{value / 1e3:,.1f} kB" if abs(value) < 1e6 else f"{value / 1e6:,.1f} MB"


def signed_megabytes(value: int | None) -> str:
    return "?" if value is None else ("+" if value >= 0 else MINUS) + megabytes(abs(value))


def _value(change: dict[str, Any] | None, label: str) -> str:
    if change is None:
        return f"{label}: same"
    old, new = change["from"], change["to"]
    if isinstance(old, dict) or isinstance(new, dict):  # the OS
        old = (old or {}).get("pretty_name") or "none"
        new = (new or {}).get("pretty_name") or "none"
    return f"{label}: {old or 'none'} → {new or 'none'} ({change['kind']})"


def diff_summary(data: dict[str, Any]) -> list[str]:
    """The lines above the package tables: sides, OS/Python/CUDA, size, layers."""
    a, b, size = data["a"], data["b"], data["size"]
    compressed = size["change"]["compressed"]
    uncompressed = size["change"]["uncompressed"]
    return [
        f"{a['target']} → {b['target']}",
        f"  {_value(data['os'], 'OS')}; {_value(data['python'], 'Python')}; "
        f"{_value(data['cuda'], 'CUDA')}",
        f"  size: {megabytes(size['from']['compressed'])} → "
        f"{megabytes(size['to']['compressed'])} compressed ({signed_megabytes(compressed)})"
        + (f", {signed_megabytes(uncompressed)} uncompressed" if uncompressed is not None else ""),
        f"  layers: {data['layers_shared']} shared of {a['layers']} and {b['layers']}; "
        f"{data['bytes_read']:,} bytes read",
        f"  {len(data['changed'])} changed, {len(data['added'])} added, "
        f"{len(data['removed'])} removed",
    ]


def diff_text(data: dict[str, Any], width: int | None = None) -> Styled:
    """A diff for a terminal: the summary, then changed, added and removed packages."""
    out = Styled("\n".join(diff_summary(data)))
    if data["changed"]:
        rows = [
            (
                c["ecosystem"],
                c["name"],
                c["from"],
                c["to"],
                c["kind"] + (" ↓" if c["downgrade"] else ""),
            )
            for c in data["changed"]
        ]
        table = text_table(
            ("ECOSYSTEM", "NAME", "FROM", "TO", "KIND"),
            rows,
            width=width,
            shrink={2: (8, "right"), 3: (8, "right"), 1: (12, "right")},
            styles={4: KIND_STYLES},
        )
        out = out + "\n\nChanged\n" + table
    for heading, key, mark in (("Added", "added", "+"), ("Removed", "removed", MINUS)):
        if data[key]:
            rows = [(mark, p["ecosystem"], p["name"], p["version"]) for p in data[key]]
            table = text_table(("", "ECOSYSTEM", "NAME", "VERSION"), rows, width=width)
            out = out + f"\n\n{heading}\n" + table
    return out


def find_text(result: dict[str, Any]) -> str:
    """Matching versions, each with the packages that met the requirements."""
    image, versions = result["image_name"], result["versions"]
    wanted = " ".join(result["requirements"])
    lines = [f"{image}: {len(versions)} of {result['checked']} versions meet {wanted}"]
    for found in versions:
        aliases = f" ({', '.join(found['aliases'])})" if found["aliases"] else ""
        packages = ", ".join(
            f"{p['name']} {p['version']}"
            + (f" [{p['ecosystem']}]" if p["ecosystem"] != "pypi" else "")
            for p in found["matches"]
        )
        lines.append(f"  {found['version']}{aliases} {found['status']}: {packages}")
    for unread in result["unread"]:
        lines.append(f"  {unread['version']}: not read: {unread['error']}")
    return "\n".join(lines)


def sbom_summary(bom: dict[str, Any]) -> str:
    """'123 components (pypi 80, deb 40, conda 3)'."""
    counts: dict[str, int] = {}
    for component in bom.get("components", []):
        kind = component.get("purl", "pkg:?/").split(":", 1)[-1].split("/", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    total = len(bom.get("components", []))
    return f"{total} components" + (f" ({parts})" if parts else "")


def suggestion_lines(suggested: dict[str, Any], accept: str) -> list[str]:
    """The suggested metadata and how to accept it (nothing is sent without the user)."""
    options = {
        "ml_framework": "--framework",
        "programming_lang": "--lang",
        "processor": "--processor",
    }
    reasons = suggested.get("reasons", {})
    lines, flags = [], []
    for field, flag in options.items():
        value = suggested.get(field)
        if value:
            lines.append(f"  {flag} '{value}'  ({reasons.get(field, '')})")
            flags.append(f"{flag} '{value}'")
    if not lines:
        return []
    return [
        "Suggested from the image (not sent):",
        *lines,
        f"To accept: {accept} {' '.join(flags)}",
    ]


def draft_text(data: dict[str, Any], image: str) -> str:
    """The drafted notes (or why there are none) and the suggestions."""
    if data["notes"] is None:
        lines = [f"No release notes drafted: {data['reason']}."]
    else:
        lines = [
            f"Release notes drafted from the changes since {image}:{data['against']} "
            f"({len(data['notes'])} of {data['limit']} characters):",
            f"  {data['notes']}",
            f"To use them: register {image} {data['base_image']} --notes-from-diff "
            f"{data['against']}",
        ]
    accept = f"register {image} {data['base_image']} ..."
    return "\n".join(lines + suggestion_lines(data["suggested"], accept))
