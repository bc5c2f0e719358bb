"""Steps whose reply may be lost: a retried step that finds its effect done counts as done.

botocore retries a call whose reply was lost (a reset connection, a 5xx after the change was
committed). The retry then meets its own effect: removing an alias that is already gone answers
NotFound, for instance. Each step here, when its call fails, reads the state and reports success
if the state is what the step was for.
"""

from __future__ import annotations

import time
from typing import Any

from .errors import AwsError, Conflict, ImageVersionsError, NotFound

PUT_BACK_ATTEMPTS = 4
MOVE_ATTEMPTS = 3


def holder_of(service: Any, image_name: str, alias: str) -> int | None:
    """The version that has `alias` now, or None."""
    try:
        found = service._call(
            service._sm, "describe_image_version", ImageName=image_name, Alias=alias
        )
    except NotFound:
        return None
    return found["Version"]


def holder_or_none(service: Any, image_name: str, alias: str) -> int | None:
    """`holder_of`, or None when the read fails too (then nothing proves the alias is held)."""
    try:
        return holder_of(service, image_name, alias)
    except ImageVersionsError:
        return None


def alias_step(service: Any, image_name: str, version: int, change: str, alias: str) -> None:
    """Add (``AliasesToAdd``) or remove (``AliasesToDelete``) one alias of one version."""
    try:
        # UpdateImageVersion, retried while AWS answers "modified concurrently" (changes.py)
        service._update_version(ImageName=image_name, Version=version, **{change: [alias]})
    except ImageVersionsError:
        try:
            holder = holder_of(service, image_name, alias)
        except ImageVersionsError:
            holder = -1  # the state is unknown: the step's own error stands
        if holder != -1 and (holder == version) == (change == "AliasesToAdd"):
            return
        raise


def put_back(service: Any, image_name: str, version: int, alias: str) -> None:
    """Give `alias` back to `version` after a refused move, trying a few times (throttling).

    When another writer has put the alias on a version meanwhile, it is not on none: Conflict.
    """
    for attempt in range(PUT_BACK_ATTEMPTS):
        try:
            alias_step(service, image_name, version, "AliasesToAdd", alias)
            return
        except ImageVersionsError:
            now = holder_or_none(service, image_name, alias)
            if now is not None:
                raise _moved_meanwhile(image_name, alias, now) from None
            if attempt == PUT_BACK_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * 2**attempt)


def _moved_meanwhile(image_name: str, alias: str, now: int) -> Conflict:
    return Conflict(
        f"alias '{alias}' of {image_name} is being moved by another writer "
        f"(now on version {now}); try again"
    )


def update_done(service: Any, image_name: str, version: int, request: dict[str, Any]) -> bool:
    """Whether `version` already shows every change of an UpdateImageVersion `request`."""
    from .spec import REQUEST_MEMBERS

    try:
        current = service.get(image_name, version)
    except ImageVersionsError:
        return False
    fields = {member: name for name, member in REQUEST_MEMBERS.items()}
    for member, value in request.items():
        if member == "AliasesToAdd":
            if not set(value) <= set(current.aliases):
                return False
        elif member == "AliasesToDelete":
            if set(value) & set(current.aliases):
                return False
        elif member in fields and getattr(current, fields[member]) != value:
            return False
    return True


def move(service: Any, image_name: str, alias: str, to_version: int) -> None:
    """Point `alias` at `to_version`: remove it from its holder, add it to the target.

    When the remove or the add fails the alias goes back to its holder, so it ends on the target
    or on the source, never on neither. When another writer moved the alias meanwhile (the add
    is refused because the alias is on a version again), the move starts again from the new
    holder.
    """
    for attempt in range(MOVE_ATTEMPTS):
        holder = holder_of(service, image_name, alias)
        if holder == to_version:
            return
        if holder is not None:
            try:
                alias_step(service, image_name, holder, "AliasesToDelete", alias)
            except ImageVersionsError as exc:
                # Its outcome is unknown (the remove may be done and the read after it failed):
                # the alias goes back on its holder rather than stay on none.
                put_back(service, image_name, holder, alias)
                if isinstance(exc, NotFound):  # a retried remove met its own effect
                    raise AwsError(
                        f"Moving alias '{alias}' of {image_name} failed: AWS did not confirm "
                        f"the change; the alias stays on version {holder}. Try again.",
                        code="MoveNotConfirmed",
                    ) from None
                raise
        try:
            alias_step(service, image_name, to_version, "AliasesToAdd", alias)
            return
        except ImageVersionsError:
            now = holder_or_none(service, image_name, alias)
            if now is not None:  # refused while on a version: another writer moved it
                if attempt < MOVE_ATTEMPTS - 1:
                    continue  # start again from its new holder
                raise _moved_meanwhile(image_name, alias, now) from None
            if holder is not None and now is None:  # put it back: never half-moved
                put_back(service, image_name, holder, alias)
            raise
