"""How a history is fetched: describes start as each list page arrives, aliases beside them.

The listing runs in the calling thread, page by page; each page's versions are looked up in the
describe cache at once, and the misses are described in the service's bounded pool while the
next page is listed. `ListAliases` and the alias describes run in the same pool from the start.
No task waits on another task, so a small pool cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from .describe_cache import cache_key
from .models import ImageVersion

if TYPE_CHECKING:
    from .base import ServiceBase

PAGE_SIZE = 100
CACHEABLE = {"CREATED", "CREATE_FAILED", "DELETE_FAILED"}


def list_pages(
    service: ServiceBase,
    image_name: str,
    limit: int | None = None,
    next_token: str | None = None,
    single_page: bool = False,
    on_page: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[list[dict], str | None]]:
    """ListImageVersions newest first: (summaries, NextToken) per page, `limit` at most;
    `on_page(pages, versions)` after each page (the front ends' progress)."""
    left = limit
    token = next_token
    pages = listed = 0
    while True:
        params: dict[str, Any] = {
            "ImageName": image_name,
            "SortBy": "VERSION",
            "SortOrder": "DESCENDING",
            "MaxResults": min(PAGE_SIZE, left) if left else PAGE_SIZE,
        }
        if token:
            params["NextToken"] = token
        page = service._call(service._sm, "list_image_versions", **params)
        summaries = page.get("ImageVersions", [])
        if left:
            summaries = summaries[:left]
            left -= len(summaries)
        token = page.get("NextToken")
        pages, listed = pages + 1, listed + len(summaries)
        if on_page is not None:
            on_page(pages, listed)
        yield summaries, token
        if single_page or not token or left == 0:
            return


def alias_names(service: ServiceBase, image_name: str) -> list[str]:
    """Every alias of the image (ListAliases, all pages)."""
    names: list[str] = []
    token = None
    while True:
        params: dict[str, Any] = {"ImageName": image_name, "MaxResults": PAGE_SIZE}
        if token:
            params["NextToken"] = token
        page = service._call(service._sm, "list_aliases", **params)
        names += page.get("SageMakerImageVersionAliases", [])
        token = page.get("NextToken")
        if not token:
            return names


def _alias_jobs(service: ServiceBase, image_name: str) -> list[tuple[str, Future]]:
    """List the aliases, then start one describe per alias (not waiting for them)."""
    pool = service._pool()
    return [
        (alias, pool.submit(service._alias_version, image_name, alias))
        for alias in alias_names(service, image_name)
    ]


def fetch(
    service: ServiceBase, image_name: str, pages: Iterator[tuple[list[dict], str | None]]
) -> tuple[list[ImageVersion], str | None, dict[str, int]]:
    """Versions of every page (newest first), the last NextToken, and {alias: version}."""
    pool = service._pool()
    alias_job = pool.submit(_alias_jobs, service, image_name)
    slots: list[tuple[Any, ImageVersion | Future]] = []
    token = None
    try:
        for summaries, page_token in pages:
            token = page_token
            keys = [cache_key(s) for s in summaries]
            cached = service._describe_cache.get_many(keys)
            for summary, key in zip(summaries, keys, strict=True):
                if key in cached:
                    slots.append((key, cached[key]))
                else:
                    slots.append((key, pool.submit(service._describe_one, image_name, summary)))
        versions: list[ImageVersion] = []
        fresh: dict[Any, ImageVersion] = {}
        for key, slot in slots:
            if isinstance(slot, Future):
                version = slot.result()
                if version is None:  # finished deleting since the list
                    continue
                modified = version.modified.isoformat() if version.modified else "None"
                if version.status in CACHEABLE and key == (version.arn, modified, version.status):
                    fresh[key] = version
            else:
                version = slot
            versions.append(version)
        service._describe_cache.put_many(fresh)
        found = {alias: job.result() for alias, job in alias_job.result()}
        aliases = {alias: number for alias, number in found.items() if number is not None}
    except BaseException:
        for _, slot in slots:
            if isinstance(slot, Future):
                slot.cancel()
        alias_job.cancel()
        alias_job.add_done_callback(_cancel_alias_describes)  # now, or when the listing ends
        raise
    return versions, token, aliases


def _cancel_alias_describes(alias_job: Future) -> None:
    """Cancel the alias describes a failed history no longer waits for (those not yet running)."""
    if alias_job.cancelled() or alias_job.exception() is not None:
        return
    for _, job in alias_job.result():
        job.cancel()
