"""Text tables for the CLI, and the short forms of times and image URIs every front end uses.

Tables are plain text (`Styled`, a str) that also carries the spans to colour: the CLI colours
them on a terminal (rich, unless NO_COLOR), every other use sees the plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..core.models import Image, ImageVersion

STATUS_STYLES = {
    "CREATED": "green",
    "CREATING": "yellow",
    "UPDATING": "yellow",
    "DELETING": "yellow",
    "CREATE_FAILED": "bold red",
    "UPDATE_FAILED": "bold red",
    "DELETE_FAILED": "bold red",
}
GUIDANCE_STYLES = {
    "STABLE": "green",
    "TO_BE_ARCHIVED": "yellow",
    "ARCHIVED": "red",
    "NOT_PROVIDED": "dim",
}


class Styled(str):
    """Text with (start, end, style) spans for a terminal that shows colour."""

    spans: tuple[tuple[int, int, str], ...] = ()

    @classmethod
    def make(cls, text: str, spans: Sequence[tuple[int, int, str]] = ()) -> Styled:
        out = cls(text)
        out.spans = tuple(spans)
        return out

    def __add__(self, other: str) -> Styled:  # type: ignore[override]
        theirs = getattr(other, "spans", ())
        shift = len(self)
        spans = self.spans + tuple((a + shift, b + shift, s) for a, b, s in theirs)
        return Styled.make(str(self) + str(other), spans)

    def __radd__(self, other: str) -> Styled:
        return Styled.make(str(other)) + self


def local_time(value: datetime | None, *, seconds: bool = False) -> str:
    """A time in the user's time zone (the machine's), with the zone's name."""
    if not value:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M" + (":%S %Z" if seconds else ""))


def short_time(value: datetime | None) -> str:
    return local_time(value)


def shorten_image(uri: str | None, width: int = 48) -> str:
    """Keep the end of a long ECR URI, where the tag is: '…/team/pytorch:2.3-gpu'."""
    if not uri:
        return ""
    if len(uri) <= width:
        return uri
    _, _, path = uri.partition("/")
    segments = path.split("/")
    kept = [segments.pop()]  # the name and tag stay whole; whole segments before it as they fit
    while segments and len("/".join([segments[-1], *kept])) < width - 1:
        kept.insert(0, segments.pop())
    return "…/" + "/".join(kept)


def _cut_right(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def text_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    width: int | None = None,
    shrink: dict[int, tuple[int, str]] | None = None,
    drop: Sequence[int] = (),
    styles: dict[int, dict[str, str]] | None = None,
) -> Styled:
    """An aligned table. With `width`, the columns of `shrink` ({column: (narrowest, 'left' or
    'right')}) give up characters, in that order, until the table fits; if it still does not,
    the columns of `drop` are left out, in that order. `styles` colours a column's cells by
    value ({column: {value: style}})."""
    cells = [[("" if c is None else str(c)).replace("\n", " ") for c in row] for row in rows]
    natural = [len(h) for h in headers]
    for row in cells:
        natural = [max(w, len(c)) for w, c in zip(natural, row, strict=True)]
    widths, keep = list(natural), list(range(len(headers)))

    def excess() -> int:
        return sum(widths[c] for c in keep) + 2 * (len(keep) - 1) - (width or 0)

    def fit(halve: bool = False) -> None:
        for column, (narrowest, _) in (shrink or {}).items():
            if excess() <= 0:
                return
            narrowest = max(narrowest // 2 if halve else narrowest, len(headers[column]))
            widths[column] = min(widths[column], max(narrowest, widths[column] - excess()))

    if width is not None:
        fit()
        for column in drop:  # each left out column gives the others their width back
            if excess() <= 0:
                break
            keep.remove(column)
            widths[:] = natural
            fit()
        fit(halve=True)  # the last resort: narrower than the usual narrowest
        for column, (_, side) in (shrink or {}).items():
            cut = shorten_image if side == "left" else _cut_right
            for row in cells:
                row[column] = cut(row[column], widths[column])
    lines = ["  ".join(headers[c].ljust(widths[c]) for c in keep).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in keep))
    spans: list[tuple[int, int, str]] = [(0, len(lines[0]), "bold")]
    offset = len(lines[0]) + 1 + len(lines[1]) + 1
    for row in cells:
        line = "  ".join(row[c].ljust(widths[c]) for c in keep).rstrip()
        start = offset
        for column in keep:
            cell = row[column]
            style = (styles or {}).get(column, {}).get(cell)
            if style and cell:
                spans.append((start, start + len(cell), style))
            start += widths[column] + 2
        lines.append(line)
        offset += len(line) + 1
    return Styled.make("\n".join(lines), spans)


VERSION_HEADERS = ("VERSION", "STATUS", "ALIASES", "FRAMEWORK", "LANG", "PROC", "JOB", "GUIDANCE")


def versions_text(versions: Sequence[ImageVersion], width: int | None = None) -> Styled:
    """The history table; a failed version's reason in its row, the base image by its tag."""
    failed = any(v.failure_reason for v in versions)
    headers = (*VERSION_HEADERS, "BASE IMAGE") + (("REASON",) if failed else ())
    rows = []
    for v in versions:
        row = [
            v.version,
            v.status,
            ",".join(v.aliases),
            v.ml_framework,
            v.programming_lang,
            v.processor,
            v.job_type,
            v.vendor_guidance,
            v.base_image,  # whole; on a terminal shortened from the left to fit
        ]
        rows.append(row + ([v.failure_reason or ""] if failed else []))
    # Narrower, in this order, until it fits: the reason, the base image (its tag kept), the
    # framework, and only then the aliases, which people look a version up by.
    shrink = {9: (20, "right")} if failed else {}
    shrink |= {8: (24, "left"), 3: (11, "right"), 2: (9, "right")}
    styles = {1: STATUS_STYLES, 7: GUIDANCE_STYLES}
    # Still too wide: leave out the job type, processor, language, then the framework.
    drop = (6, 5, 4, 3)
    return text_table(headers, rows, width=width, shrink=shrink, drop=drop, styles=styles)


LABELS = {"ml_framework": "framework", "programming_lang": "language", "job_type": "job type"}


def version_text(v: ImageVersion) -> Styled:
    """The fields of one version that are set, one per line; times in the user's time zone."""
    fields: list[tuple[str, str]] = []
    for key, value in v.to_dict().items():
        if key in ("created", "modified"):
            value = local_time(getattr(v, key), seconds=True)
        elif key == "aliases":
            value = ", ".join(value)
        elif key == "horovod":
            value = "yes" if value else ""
        if value in (None, ""):
            continue
        fields.append((LABELS.get(key, key.replace("_", " ")), str(value)))
    width = max(len(k) for k, _ in fields)
    lines, spans, offset = [], [], 0
    for key, value in fields:
        line = f"{key.ljust(width)}  {value}"
        style = {"status": STATUS_STYLES, "vendor guidance": GUIDANCE_STYLES}.get(key, {})
        if value in style:
            spans.append((offset + width + 2, offset + len(line), style[value]))
        if key == "failure reason":
            spans.append((offset + width + 2, offset + len(line), "red"))
        lines.append(line)
        offset += len(line) + 1
    return Styled.make("\n".join(lines), spans)


def images_text(images: Sequence[Image], width: int | None = None) -> Styled:
    rows = [(i.name, i.status, i.display_name, short_time(i.created)) for i in images]
    headers = ("IMAGE", "STATUS", "DISPLAY NAME", "CREATED")
    return text_table(
        headers, rows, width=width, shrink={2: (12, "right")}, styles={1: STATUS_STYLES}
    )


def aliases_text(aliases: dict[str, int]) -> Styled:
    return text_table(("ALIAS", "VERSION"), sorted(aliases.items(), key=lambda kv: (-kv[1], kv[0])))
