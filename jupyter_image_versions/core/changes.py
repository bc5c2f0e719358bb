"""Changing versions: update (aliases and metadata), move_alias, delete."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from . import steps
from .base import _replace, _selector_kwargs
from .errors import AwsError, Conflict, DeleteFailed, ImageVersionsError, NotFound, SpecError
from .history import HistoryMixin
from .models import ImageVersion
from .spec import METADATA_FIELDS, REQUEST_MEMBERS, alias_problem, field_problem

CONFLICT_ATTEMPTS = 5


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
                    problems[label] = problem
        both = sorted(set(to_move) & set(to_delete))
        if both and "move_aliases" not in problems:
            problems["move_aliases"] = f"{', '.join(both)} also in aliases_to_delete"
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
                try:
                    self._update_step(image_name, current.version, request)
                except SpecError as exc:  # AWS refused an alias (held by another version)
                    alias_change = "alias" in exc.message.lower() and "AliasesToAdd" in request
                    raise exc.naming("aliases_to_add" if alias_change else "body") from None
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
            self._update_version(ImageName=image_name, Version=version, **request)
        except ImageVersionsError:
            if not steps.update_done(self, image_name, version, request):
                raise

    def _update_version(self, **params: Any) -> dict:
        """UpdateImageVersion, retried with backoff while AWS answers "modified concurrently"
        (ResourceInUse refuses the whole request, so sending it again is safe)."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                return self._call(self._sm, "update_image_version", **params)
            except Conflict as exc:
                if "concurrent" not in exc.message or attempt == CONFLICT_ATTEMPTS - 1:
                    raise
                time.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")

    def delete(
        self,
        image_name: str,
        version: int | None = None,
        alias: str | None = None,
        *,
        wait: bool = False,
        on_status: Callable[[ImageVersion], None] | None = None,
        timeout: float | None = None,
    ) -> int:
        """Delete a version (by number or alias); returns its number.

        AWS deletes asynchronously: without `wait` this returns once AWS accepted the delete
        (the version is then DELETING); with `wait` it polls until the version is gone, calling
        `on_status` with each status seen, and raises DeleteFailed on DELETE_FAILED. A version
        already DELETING is not deleted twice: that counts as accepted.
        """
        selector = self._selector(image_name, version, alias)
        current = self.get(image_name, **_selector_kwargs(selector))
        number = current.version
        if current.status != "DELETING":
            with self._image_lock(image_name):
                try:
                    self._call(
                        self._sm, "delete_image_version", ImageName=image_name, Version=number
                    )
                except NotFound:
                    # It existed a moment ago: botocore retried our own delete after a lost
                    # reply (or another caller finished it). Either way it is gone, as asked.
                    pass
                except Conflict as exc:
                    if "being deleted" not in exc.message:
                        raise
        if wait:
            if on_status is not None:  # accepted: AWS shows it DELETING until it is gone
                on_status(_replace(current, status="DELETING", failure_reason=None))
            self.wait_deleted(image_name, number, on_status=on_status, timeout=timeout)
        return number

    def wait_deleted(
        self,
        image_name: str,
        version: int,
        *,
        on_status: Callable[[ImageVersion], None] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Poll until the version is gone; DELETE_FAILED raises DeleteFailed with the reason."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        interval = self.poll_interval
        while True:
            try:
                response = self._call(
                    self._sm, "describe_image_version", ImageName=image_name, Version=version
                )
            except NotFound:
                return
            current = ImageVersion.from_aws(image_name, response)
            if on_status is not None:
                on_status(current)
            if current.status == "DELETE_FAILED":
                raise DeleteFailed(
                    f"Deleting {image_name} version {version} failed: {current.failure_reason}",
                    reason=current.failure_reason or "",
                    version=current,
                )
            if time.monotonic() > deadline:
                raise AwsError(
                    f"{image_name} version {version} is still {current.status} after waiting",
                    code="Timeout",
                )
            time.sleep(interval)
            interval = min(interval * 1.5, 5.0)
