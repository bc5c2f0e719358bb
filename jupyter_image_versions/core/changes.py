"""Changing versions: update (aliases and metadata), move_alias, delete."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from . import steps
from .base import _selector_kwargs
from .errors import AwsError, ImageVersionsError, NotFound, SpecError
from .history import HistoryMixin
from .models import ImageVersion
from .spec import METADATA_FIELDS, REQUEST_MEMBERS, alias_problem, field_problem


class ChangesMixin(HistoryMixin):
    """update(), move_alias() and delete()."""

    def update(
        self,
        image_name: str,
        version: int | None = None,
        alias: str | None = None,
        *,
        aliases_to_add: Iterable[str] = (),
        aliases_to_delete: Iterable[str] = (),
        move_aliases: Iterable[str] = (),
        **metadata: Any,
    ) -> ImageVersion:
        """Change aliases and metadata of one version; only what differs is sent.

        `move_aliases` are taken from the versions holding them first. Everything is checked
        before the first change, and when a later step fails the moved aliases go back, so a
        refused update changes nothing.
        """
        selector = self._selector(image_name, version, alias)
        to_add, to_delete = list(aliases_to_add), list(aliases_to_delete)
        to_move = list(dict.fromkeys(move_aliases))
        problems = {}
        unknown = [k for k in metadata if k not in METADATA_FIELDS]
        for name in unknown:
            problems[name] = f"{name} is not a field that can be updated"
        for name, value in metadata.items():
            if name in METADATA_FIELDS:
                problem = field_problem(name, value)
                if problem:
                    problems[name] = problem
        lists = (("aliases_to_add", to_add), ("aliases_to_delete", to_delete))
        for label, names in (*lists, ("move_aliases", to_move)):
            for a in names:
                problem = alias_problem(a)
                if problem:
                    problems[label] = f"{label}: {problem}"
        both = sorted(set(to_move) & set(to_delete))
        if both and "move_aliases" not in problems:
            problems["move_aliases"] = f"move_aliases: {', '.join(both)} also in aliases_to_delete"
        if problems:
            raise SpecError(problems)
        current = self.get(image_name, **_selector_kwargs(selector))
        missing = [a for a in to_delete if a not in current.aliases]
        if missing:
            names = ", ".join(f"'{a}'" for a in missing)
            message = f"aliases_to_delete: {names} not on version {current.version}"
            raise SpecError({"aliases_to_delete": message})
        request: dict[str, Any] = {}
        add = [a for a in dict.fromkeys(to_add) if a not in current.aliases]
        if add:
            request["AliasesToAdd"] = add
        if to_delete:
            request["AliasesToDelete"] = list(dict.fromkeys(to_delete))
        for name, value in metadata.items():
            if value is not None and getattr(current, name) != value:
                request[REQUEST_MEMBERS[name]] = value
        to_move = [a for a in to_move if a not in current.aliases]
        if not (request or to_move):
            return current
        holders = self._alias_versions(image_name) if to_move else {}
        moved: list[str] = []
        try:
            for name in to_move:
                self.move_alias(image_name, name, current.version)
                moved.append(name)
            if request:
                self._update_step(image_name, current.version, request)
        except ImageVersionsError:
            for name in reversed(moved):  # put each moved alias back where it was
                if name in holders:
                    self.move_alias(image_name, name, holders[name])
                else:
                    self._alias_change(image_name, current.version, "AliasesToDelete", name)
            raise
        return self.get(image_name, current.version)

    def move_alias(self, image_name: str, alias: str, to_version: int) -> ImageVersion:
        """Point `alias` at `to_version`, removing it from the version that has it."""
        problem = alias_problem(alias)
        if problem:
            raise SpecError({"alias": problem})
        target = self.get(image_name, to_version)
        if alias in target.aliases:
            return target
        steps.move(self, image_name, alias, to_version)  # on the target, or back on the source
        return self.get(image_name, to_version)

    def _alias_change(self, image_name: str, version: int, change: str, alias: str) -> None:
        # A lost reply is retried by botocore; a retry that meets its own effect is success.
        steps.alias_step(self, image_name, version, change, alias)

    def _update_step(self, image_name: str, version: int, request: dict[str, Any]) -> None:
        try:
            self._call(
                self._sm, "update_image_version", ImageName=image_name, Version=version, **request
            )
        except ImageVersionsError:
            if not steps.update_done(self, image_name, version, request):
                raise

    def delete(
        self,
        image_name: str,
        version: int | None = None,
        alias: str | None = None,
        *,
        wait: bool = True,
    ) -> int:
        """Delete a version (by number or alias) and wait until it is gone; returns its number."""
        selector = self._selector(image_name, version, alias)
        number = version if version is not None else self.get(image_name, alias=alias).version
        with self._image_lock(image_name):
            self._call(self._sm, "delete_image_version", ImageName=image_name, **selector)
        deadline = time.monotonic() + self.timeout
        while wait:
            try:
                current = self._call(
                    self._sm, "describe_image_version", ImageName=image_name, Version=number
                )
            except NotFound:
                break
            if current.get("ImageVersionStatus") == "DELETE_FAILED":
                raise AwsError(
                    f"Deleting {image_name} version {number} failed: "
                    f"{current.get('FailureReason')}",
                    code="DeleteFailed",
                )
            if time.monotonic() > deadline:
                raise AwsError(f"{image_name} version {number} is still deleting", code="Timeout")
            time.sleep(self.poll_interval)
        return number
