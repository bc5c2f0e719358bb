"""The list operations' shared parts: time filters, sorting and NextToken pages."""

from __future__ import annotations

from typing import Any

from .protocol import decode_token, encode_token, to_epoch

Params = dict[str, Any]


def time_filter(items: list[Params], p: Params, modified: str = "LastModifiedTime") -> list[Params]:
    """Keep the items inside CreationTime{After,Before} and {modified}{After,Before}.

    The bounds are inclusive, as AWS's are: ``After`` keeps items on or after it."""
    for member, key, after in (
        ("CreationTimeAfter", "CreationTime", True),
        ("CreationTimeBefore", "CreationTime", False),
        (f"{modified}After", "LastModifiedTime", True),
        (f"{modified}Before", "LastModifiedTime", False),
    ):
        if p.get(member) is not None:
            bound = to_epoch(p[member])
            items = [i for i in items if (i[key] >= bound if after else i[key] <= bound)]
    return items


def sort_items(
    items: list[Params],
    p: Params,
    by: dict[str, str],
    fallback: str,
    tie: str,
    *,
    default_by: str = "CreationTime",
    descending: str = "Descending",
) -> list[Params]:
    """Sort by the member `by` maps SortBy to (`fallback` for the other values), then `tie`;
    SortOrder defaults to descending. SageMaker spells the enums per API (CREATION_TIME or
    CreationTime), so each caller names its own."""
    key = by.get(p.get("SortBy", default_by), fallback)
    items = sorted(items, key=lambda i: (i[key], i[tie]))
    if p.get("SortOrder", descending) == descending:
        items.reverse()
    return items


def one_page(
    items: list[Any],
    p: Params,
    default: int = 10,
    *,
    token_member: str = "NextToken",
    size_member: str = "MaxResults",
    code: str | None = None,
) -> tuple[list[Any], str | None]:
    """One page of `items` from the request's token and size, and the next page's token."""
    options = {"code": code} if code else {}
    start = decode_token(p.get(token_member), **options)
    end = start + (p.get(size_member) or default)
    return items[start:end], (encode_token(end) if end < len(items) else None)
