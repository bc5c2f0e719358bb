"""Reading versions: history (whole or paged), one version, the alias map; the describe cache."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import repeat
from typing import NamedTuple

from .base import TERMINAL_STATUSES, ServiceBase, _alias_sort_key, _replace
from .errors import NotFound
from .models import ImageVersion


class HistoryPage(NamedTuple):
    """One page of an image's history and the image's whole {alias: version} map."""

    versions: list[ImageVersion]
    next_token: str | None
    aliases: dict[str, int]


class HistoryMixin(ServiceBase):
    """History newest first, with aliases; describes of settled versions are cached."""

    def history(self, image_name: str, limit: int | None = None) -> list[ImageVersion]:
        """Every version of the image (or the newest `limit`), newest first, with aliases."""
        self._check_image_name(image_name)
        pagination = {"PageSize": 100} | ({"MaxItems": limit} if limit else {})
        summaries = []
        for page in self._paginate(
            self._sm,
            "list_image_versions",
            ImageName=image_name,
            SortBy="VERSION",
            SortOrder="DESCENDING",
            PaginationConfig=pagination,
        ):
            summaries += page.get("ImageVersions", [])
        return self._expand(image_name, summaries).versions

    def history_page(
        self, image_name: str, limit: int = 25, next_token: str | None = None
    ) -> HistoryPage:
        """One page of history, newest first, the next page's token, and the image's aliases."""
        self._check_image_name(image_name)
        params = {"ImageName": image_name, "SortBy": "VERSION", "SortOrder": "DESCENDING"}
        params["MaxResults"] = limit
        if next_token:
            params["NextToken"] = next_token
        page = self._call(self._sm, "list_image_versions", **params)
        expanded = self._expand(image_name, page.get("ImageVersions", []))
        return expanded._replace(next_token=page.get("NextToken"))

    def _expand(self, image_name: str, summaries: list[dict]) -> HistoryPage:
        """Describe the summarized versions (cached, bounded pool) and attach their aliases."""
        if not summaries:
            return HistoryPage([], None, {})
        with ThreadPoolExecutor(self.max_workers) as pool:
            alias_map = pool.submit(self._alias_versions, image_name)
            described = list(pool.map(self._describe_summary, repeat(image_name), summaries))
            aliases = alias_map.result()
        by_version: dict[int, list[str]] = {}
        for alias, number in aliases.items():
            by_version.setdefault(number, []).append(alias)
        out = []
        for v in described:
            if v is None:  # finished deleting between the list and the describe
                continue
            names = tuple(sorted(by_version.get(v.version, []), key=_alias_sort_key))
            out.append(_replace(v, aliases=names))
        return HistoryPage(out, None, aliases)

    def _describe_summary(self, image_name: str, summary: dict) -> ImageVersion | None:
        # The name is the one asked with: ARNs hold it lower-cased, so never parse it from one.
        key = (
            summary["ImageVersionArn"],
            summary.get("LastModifiedTime"),
            summary.get("ImageVersionStatus"),
        )
        with self._cache_guard:
            if key in self._describe_cache:
                self._describe_cache.move_to_end(key)
                return self._describe_cache[key]
        try:
            response = self._call(
                self._sm, "describe_image_version", ImageName=image_name, Version=summary["Version"]
            )
        except NotFound:
            if summary.get("ImageVersionStatus") == "DELETING":
                return None
            raise
        version = ImageVersion.from_aws(image_name, response)
        if version.status in TERMINAL_STATUSES | {"CREATED"}:
            with self._cache_guard:
                self._describe_cache[key] = version
                while len(self._describe_cache) > self._cache_size:
                    self._describe_cache.popitem(last=False)
        return version

    def _alias_versions(self, image_name: str) -> dict[str, int]:
        names = []
        for page in self._paginate(
            self._sm, "list_aliases", ImageName=image_name, PaginationConfig={"PageSize": 100}
        ):
            names += page.get("SageMakerImageVersionAliases", [])
        if not names:
            return {}

        def version_of(alias: str) -> int | None:
            try:
                found = self._call(
                    self._sm, "describe_image_version", ImageName=image_name, Alias=alias
                )
            except NotFound:  # its version finished deleting since the list
                return None
            return found["Version"]

        with ThreadPoolExecutor(self.max_workers) as pool:
            found = dict(zip(names, pool.map(version_of, names), strict=True))
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
