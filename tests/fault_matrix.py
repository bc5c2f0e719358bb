"""The fault matrix: random operations on images while the endpoint throttles and fails and the
proxy resets connections after commit; each outcome checked against the endpoint's own tables.

Each worker owns one image and keeps a model of what must be true: the versions it registered
(by their unique release notes) and the version each of its aliases must be on (or, after a
failed move, the two versions it may be on). After every operation the endpoint's state is
compared with the model.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from jupyter_image_versions import ImageVersionSpec
from jupyter_image_versions.core.errors import ImageVersionsError, NotFound

from .reliability_helpers import ROLE, Rig, alias_holders, versions_of

OPERATIONS = ("register", "register_again", "update", "move_alias", "update_move", "history")


@dataclass
class Figures:
    operations: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    deletes: int = 0
    misreported_deletes: int = 0
    seconds: float = 0.0

    def merge(self, other: Figures) -> None:
        self.operations.update(other.operations)
        self.errors.update(other.errors)
        self.violations += other.violations
        self.deletes += other.deletes
        self.misreported_deletes += other.misreported_deletes


class Worker:
    def __init__(self, r: Rig, image: str, base: str, seed: int, deadline: float) -> None:
        self.r, self.image, self.base, self.deadline = r, image, base, deadline
        self.rng = random.Random(seed)
        self.figures = Figures()
        self.registered: dict[str, int] = {}  # release notes -> version
        self.aliases: dict[str, set[int]] = {}  # alias -> the versions it may be on now
        self.with_alias: set[str] = set()  # release notes registered with an alias
        self.serial = 0

    # -- the model's checks ---------------------------------------------------------------------

    def _check(self, what: str) -> None:
        holders = alias_holders(self.r.endpoint, self.image)
        for alias, versions in holders.items():
            if len(versions) != 1:
                self._violate(f"{what}: alias {alias} on {versions}")
        for alias, allowed in self.aliases.items():
            on = holders.get(alias, [])
            if not on:
                self._violate(f"{what}: alias {alias} on no version (expected one of {allowed})")
            elif on[0] not in allowed:
                self._violate(f"{what}: alias {alias} on {on[0]}, expected one of {allowed}")
            else:
                self.aliases[alias] = {on[0]}
        notes = Counter(versions_of(self.r.endpoint, self.image).values())
        for note, count in notes.items():
            if count > 1:
                self._violate(f"{what}: {count} versions with release notes {note!r}")

    def _violate(self, message: str) -> None:
        self.figures.violations.append(message)

    def _versions(self) -> list[int]:
        return sorted(set(self.registered.values()))

    # -- operations -------------------------------------------------------------------------------

    def run(self) -> Figures:
        while time.monotonic() < self.deadline:
            choices = OPERATIONS if self.registered else ("register",)
            name = self.rng.choice(choices)
            self.figures.operations[name] += 1
            try:
                getattr(self, f"op_{name}")()
            except ImageVersionsError as exc:  # one clear project error: allowed
                self.figures.errors[f"{name}: {type(exc).__name__}"] += 1
            except Exception as exc:  # anything else is a defect
                self._violate(f"{name}: {type(exc).__name__}: {exc}")
            self._check(name)
        return self.figures

    def _spec(self, notes: str, aliases: list[str] | None = None) -> ImageVersionSpec:
        return ImageVersionSpec(self.image, self.base, aliases=aliases or [], release_notes=notes)

    def op_register(self) -> None:
        self.serial += 1
        notes = f"{self.image}-r{self.serial}"
        alias = f"a{self.serial}" if self.rng.random() < 0.5 else None
        try:
            version = self.r.service.register(self._spec(notes, [alias] if alias else None))
        except ImageVersionsError:
            self._adopt(notes, alias)
            raise
        self.registered[notes] = version.version
        if alias:
            self.aliases[alias] = {version.version}
            self.with_alias.add(notes)

    def _adopt(self, notes: str, alias: str | None) -> None:
        """A failed registration may still have made its version: track it then."""
        for version, found in versions_of(self.r.endpoint, self.image).items():
            if found == notes:
                self.registered[notes] = version
                if alias:
                    self.aliases[alias] = {version}
                    self.with_alias.add(notes)

    def op_register_again(self) -> None:
        plain = sorted(set(self.registered) - self.with_alias)  # an alias may have moved since
        if not plain:
            return
        notes = self.rng.choice(plain)
        version = self.r.service.register(self._spec(notes))
        if version.version != self.registered[notes]:
            self._violate(f"register_again {notes}: version {version.version}")

    def op_update(self) -> None:
        version = self.rng.choice(self._versions())
        self.serial += 1
        guidance = self.rng.choice(["STABLE", "TO_BE_ARCHIVED", "NOT_PROVIDED"])
        try:
            updated = self.r.service.update(self.image, version, vendor_guidance=guidance)
        except ImageVersionsError:
            return  # either done or not: the metadata has no invariant beyond that
        if updated.vendor_guidance != guidance:
            self._violate(f"update: vendor_guidance {updated.vendor_guidance} != {guidance}")

    def _move(self, via_update: bool) -> None:
        if not self.aliases:
            return
        alias = self.rng.choice(sorted(self.aliases))
        (source,) = self.aliases[alias]
        target = self.rng.choice(self._versions())
        self.aliases[alias] = {source, target}  # while it moves: on either, never on none
        if via_update:
            moved = self.r.service.update(self.image, target, move_aliases=[alias])
        else:
            moved = self.r.service.move_alias(self.image, alias, target)
        if alias not in moved.aliases:
            self._violate(f"move {alias} to {target}: the result does not show it")
        self.aliases[alias] = {target}

    def op_move_alias(self) -> None:
        self._move(via_update=False)

    def op_update_move(self) -> None:
        self._move(via_update=True)

    def op_history(self) -> None:
        listed = [v.version for v in self.r.service.history(self.image)]
        if listed != sorted(listed, reverse=True):
            self._violate(f"history not newest first: {listed}")
        missing = set(self._versions()) - set(listed)
        if missing:
            self._violate(f"history lacks versions {sorted(missing)}")

    def delete_all(self, most: int | None = None) -> None:
        """Delete every version (or the `most` newest), waiting until each is gone (AWS deletes
        in the background). One that succeeds must remove it; NotFound for a version that
        existed is a misreported delete."""
        for version in self._versions()[::-1][:most]:
            self.figures.deletes += 1
            try:
                self.r.service.delete(self.image, version, wait=True)
                outcome = "done"
            except NotFound:
                outcome = "notfound"
            except ImageVersionsError:
                outcome = "error"
            gone = version not in versions_of(self.r.endpoint, self.image)
            if outcome == "done" and not gone:
                self._violate(f"delete {version} reported done but the version is there")
            if outcome == "notfound" and gone:
                self.figures.misreported_deletes += 1


def run_matrix(
    r: Rig,
    workers: int,
    seconds: float,
    *,
    throttle: float = 0.3,
    errors: float = 0.1,
    resets: float = 0.05,
    seed: int = 7,
    deletes: int | None = None,
) -> Figures:
    """Workers on their own images for `seconds` under the faults, then each deletes its
    versions (all, or its `deletes` newest)."""
    r.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    base = r.endpoint.registry_uri("team/pytorch", "2.3-gpu")
    started = time.monotonic()
    deadline = started + seconds
    crew = []
    for n in range(workers):
        r.direct.create_image(f"fm{n}", role_arn=ROLE)
        crew.append(Worker(r, f"fm{n}", base, seed * 100 + n, deadline))
    r.endpoint.set_faults(throttle_rate=throttle, error_rate=errors)
    r.proxy.reset_rate = resets
    threads = [threading.Thread(target=w.run, daemon=True) for w in crew]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    threads = [threading.Thread(target=w.delete_all, args=(deletes,), daemon=True) for w in crew]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    total = Figures()
    for worker in crew:
        total.merge(worker.figures)
    total.seconds = time.monotonic() - started
    return total
