"""Text tables for the CLI, and the short forms of times and image URIs every front end uses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..core.models import Image, ImageVersion


def short_time(value: datetime | None) -> str:
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
    rows = [(i.name, i.status, i.display_name, short_time(i.created)) for i in images]
    return text_table(("IMAGE", "STATUS", "DISPLAY NAME", "CREATED"), rows)


def aliases_text(aliases: dict[str, int]) -> str:
    return text_table(("ALIAS", "VERSION"), sorted(aliases.items(), key=lambda kv: (-kv[1], kv[0])))
