"""Escaped HTML of a doctor report (the magic's `doctor` view and the panel's)."""

from __future__ import annotations

from html import escape
from typing import Any

from ..core.labels import count

# Theme variables with fallbacks (as notebook/html.py): readable in the light and dark theme.
COLOURS = {
    "error": "var(--jp-error-color1,#b00020)",
    "warning": "var(--jp-warn-color1,#8a6100)",
    "info": "var(--jp-ui-font-color2,#555)",
}


def doctor_html(data: dict[str, Any]) -> str:
    """The facts line and one row per finding; every string escaped."""
    user = data.get("user") or {}
    platform = data.get("platform") or {}
    kernels = ", ".join(k.get("name", "") for k in data.get("kernels") or []) or "none"
    errors = sum(f.get("severity") == "error" for f in data.get("findings") or [])
    problems = count(errors, "problem")
    verdict = (
        f'<b style="color:{COLOURS["error"]}">{problems}: Studio will not start it</b>'
        if errors
        else "<b>no problems</b>"
    )
    facts = (
        f"{escape(str(data.get('app_type')))}: {escape(str(platform.get('os')))}/"
        f"{escape(str(platform.get('architecture')))}, user "
        f"{escape(str(user.get('name') or '?'))} ({escape(str(user.get('uid')))}/"
        f"{escape(str(user.get('gid')))}), workdir {escape(str(data.get('workdir')))}, "
        f"kernels: {escape(kernels)}"
    )
    rows = "".join(
        f'<tr><td style="color:{COLOURS.get(f.get("severity"), COLOURS["info"])}">'
        f"{escape(str(f.get('severity')))}</td><td><code>{escape(str(f.get('code')))}</code>"
        f"</td><td>{escape(str(f.get('message')))}</td></tr>"
        for f in data.get("findings") or []
    )
    return (
        f"<div><p><code>{escape(str(data.get('base_image')))}</code><br>{facts}<br>{verdict}</p>"
        f"<table>{rows}</table></div>"
    )
