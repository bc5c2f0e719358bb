"""Reading versions: history (whole or paged), one version, the alias map; the describe cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from . import history_plan
from .base import ServiceBase, _alias_sort_key, _replace
from .errors import NotFound
from .models import ImageVersion


class HistoryPage(NamedTuple):
    """One page of an image's history and the image's whole {alias: version} map."""

    versions: list[ImageVersion]
    next_token: str | None
    aliases: dict[str, int]


class HistoryMixin(ServiceBase):
    """History newest first, with aliases; describes of settled versions are cached."""

    def history(
        self,
        image_name: str,
        limit: int | None = None,
        *,
        on_page: Callable[[int, int], None] | None = None,
    ) -> list[ImageVersion]:
        """Every version of the image (or the newest `limit`), newest first, with aliases;
        `on_page(pages, versions)` as each list page arrives."""
        self._check_image_name(image_name)
        pages = history_plan.list_pages(self, image_name, limit=limit, on_page=on_page)
        return self._with_aliases(*history_plan.fetch(self, image_name, pages)).versions

    def history_page(
        self, image_name: str, limit: int = 25, next_token: str | None = None
    ) -> HistoryPage:
        """One page of history, newest first, the next page's token, and the image's aliases."""
        self._check_image_name(image_name)
        pages = history_plan.list_pages(
            self, image_name, limit=limit, next_token=next_token, single_page=True
        )
        return self._with_aliases(*history_plan.fetch(self, image_name, pages))

    def _with_aliases(
        self, described: list[ImageVersion], next_token: str | None, aliases: dict[str, int]
    ) -> HistoryPage:
        by_version: dict[int, list[str]] = {}
        for alias, number in aliases.items():
            by_version.setdefault(number, []).append(alias)
        out = []
        for v in described:
            if v is None:  # finished deleting between the list and the describe
                continue
            names = tuple(sorted(by_version.get(v.version, []), key=_alias_sort_key))
            out.append(_replace(v, aliases=names) if names else v)
        return HistoryPage(out, next_token, aliases)

    def _describe_one(self, image_name: str, summary: dict) -> ImageVersion | None:
        # The name is the one asked with: ARNs hold it lower-cased, so never parse it from one.
        try:
            response = self._call(
                self._sm, "describe_image_version", ImageName=image_name, Version=summary["Version"]
            )
        except NotFound:
            if summary.get("ImageVersionStatus") == "DELETING":
                return None  # it finished deleting between the list and the describe
            raise
        return ImageVersion.from_aws(image_name, response)

    def _alias_version(self, image_name: str, alias: str) -> int | None:
        try:
            found = self._call(
                self._sm, "describe_image_version", ImageName=image_name, Alias=alias
            )
        except NotFound:  # its version finished deleting since the list
            return None
        return found["Version"]

    def _alias_versions(self, image_name: str) -> dict[str, int]:
        jobs = history_plan._alias_jobs(self, image_name)
        found = {alias: job.result() for alias, job in jobs}
        return {alias: number for alias, number in found.items() if number is not None}

    def get(
        self, image_name: str, version: int | None = None, alias: str | None = None
    ) -> ImageVersion:
        """One version, by number or alias (exactly one of them), with its aliases."""
        selector = self._selector(image_name, version, alias)
        response = self._call(self._sm, "describe_image_version", ImageName=image_name, **selector)
        found = ImageVersion.from_aws(image_name, response)
        names = []
        for page in self._paginate(
            self._sm, "list_aliases", ImageName=image_name, Version=found.version
        ):
            names += page.get("SageMakerImageVersionAliases", [])
        return _replace(found, aliases=tuple(sorted(names, key=_alias_sort_key)))

    def aliases(self, image_name: str) -> dict[str, int]:
        """{alias: version} for the image."""
        self._check_image_name(image_name)
        return self._alias_versions(image_name)
