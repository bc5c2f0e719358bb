"""`AnalysisMethods`: diff, find, SBOM, drafted release notes and suggested metadata, built on
the service's `contents` (contents/service.py) in the composed `ImageVersions`."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from typing import Any

from ..core.base import ServiceBase
from ..core.errors import ImageVersionsError, NotFound, SpecError
from ..core.spec import field_problem
from ..oci.service import version_image
from .diff import InventoryDiff, diff_inventories
from .find import match_inventory, parse_requirements
from .model import Inventory
from .notes import draft_notes, release_notes_limit, suggest_metadata
from .sbom import sbom_dict

Progress = Callable[[dict[str, Any]], None]
#: Versions whose base image is worth reading (a failed or deleting one may have none).
READABLE = ("CREATED", "CREATING", "UPDATING", "UPDATE_FAILED", "DELETE_FAILED")
#: Inventories read at once by `find`: the service's pool is shared with other calls.
FIND_WINDOW = 4


@dataclass
class FindResult:
    """The versions meeting every requirement, newest first, and those that could not be read."""

    image_name: str
    requirements: list[str]
    matches: list[dict[str, Any]] = field(default_factory=list)
    unread: list[dict[str, Any]] = field(default_factory=list)
    checked: int = 0
    bytes_read: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "image_name": self.image_name,
            "requirements": self.requirements,
            "versions": self.matches,
            "unread": self.unread,
            "checked": self.checked,
            "bytes_read": self.bytes_read,
        }


@dataclass
class NotesDraft:
    """A ReleaseNotes draft (None with `reason` when there is nothing to compare with) and the
    metadata the new image suggests."""

    image_name: str
    base_image: str
    notes: str | None
    limit: int
    against: int | None
    reason: str = ""
    suggested: dict[str, Any] = field(default_factory=dict)
    diff: InventoryDiff | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "image_name": self.image_name,
            "base_image": self.base_image,
            "notes": self.notes,
            "limit": self.limit,
            "against": self.against,
            "reason": self.reason,
            "suggested": self.suggested,
            "diff": self.diff.to_dict() if self.diff else None,
        }


def _sides(on_progress: Progress | None, count: int) -> list[Progress | None]:
    """One progress callback per inventory read at once, reporting their sums."""
    if on_progress is None:
        return [None] * count
    latest: list[dict[str, Any]] = [{} for _ in range(count)]

    def side(i: int) -> Progress:
        def report(progress: dict[str, Any]) -> None:
            latest[i] = progress
            on_progress(
                {
                    k: sum(p.get(k, 0) for p in latest)
                    for k in ("bytes_read", "bytes_total", "layers_done")
                }
            )

        return report

    return [side(i) for i in range(count)]


class AnalysisMethods(ServiceBase):
    """The analysis part of ImageVersions (needs `contents`, from ContentsMethods)."""

    def _inventory(self, target: str, on_progress: Progress | None = None) -> Inventory:
        return self.contents(target, on_progress=on_progress)  # type: ignore[attr-defined]

    def diff(self, a: str, b: str, *, on_progress: Progress | None = None) -> InventoryDiff:
        """What changed from image `a` to image `b` (each an ECR URI, IMAGE:VERSION or
        IMAGE@ALIAS). `a` is read first, so the layers `b` shares with it come from the layer
        cache: only `b`'s own layers are read for it."""
        first, second = _sides(on_progress, 2)
        old = self._inventory(a, first)
        return diff_inventories(old, self._inventory(b, second), a, b)

    def sbom(self, target: str, *, on_progress: Progress | None = None) -> dict[str, Any]:
        """The CycloneDX 1.6 SBOM (JSON as a dict) of an image."""
        return sbom_dict(self._inventory(target, on_progress))

    def suggest_metadata(self, target: str) -> dict[str, Any]:
        """`{ml_framework, programming_lang, processor, reasons}` read from the image: to show
        a user, who accepts them or not (nothing is sent)."""
        return suggest_metadata(self._inventory(target))

    def find(
        self,
        image_name: str,
        requirements: list[str],
        *,
        on_progress: Progress | None = None,
    ) -> FindResult:
        """The versions of `image_name` whose contents meet every requirement (`torch>=2.3`,
        `deb:libc6>=2.35`, `conda:python=3.11`), read in the service's pool, a few at a time,
        with `on_progress({versions_done, versions_total, matched})`."""
        parsed = parse_requirements(list(requirements))  # before any AWS call
        self._check_image_name(image_name)
        history = self.history(image_name)  # type: ignore[attr-defined]
        versions = [v for v in history if v.status in READABLE and version_image(v)]
        result = FindResult(image_name, [r.text for r in parsed], checked=len(versions))
        by_image: dict[str, list[Any]] = {}  # versions of one image are read once
        for version in versions:
            by_image.setdefault(version_image(version), []).append(version)
        found: dict[int, dict[str, Any]] = {}
        pool = self._pool()
        waiting = list(by_image)
        running: dict[Future[Inventory], str] = {}
        done = 0
        while waiting or running:
            while waiting and len(running) < max(1, min(FIND_WINDOW, self.max_workers)):
                uri = waiting.pop(0)
                running[pool.submit(self._inventory, uri)] = uri
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for job in finished:
                same = by_image[running.pop(job)]
                done += len(same)
                try:
                    inventory = job.result()
                except ImageVersionsError as exc:
                    result.unread += [{"version": v.version, "error": exc.message} for v in same]
                    continue
                result.bytes_read += inventory.bytes_read
                matches = match_inventory(inventory, parsed)
                for version in same if matches is not None else ():
                    found[version.version] = {
                        "version": version.version,
                        "status": version.status,
                        "aliases": list(version.aliases),
                        "matches": [p.to_dict() for p in matches or ()],
                    }
            if on_progress is not None:
                on_progress(
                    {"versions_done": done, "versions_total": len(versions), "matched": len(found)}
                )
        result.matches = [found[n] for n in sorted(found, reverse=True)]
        result.unread.sort(key=lambda u: -u["version"])
        return result

    def draft_release_notes(
        self, image_name: str, base_image: str, against: int | None = None
    ) -> NotesDraft:
        """ReleaseNotes for a new version of `image_name` from `base_image`: its diff against
        version `against` (default: the newest CREATED one), within the model's limit; and the
        metadata `base_image` suggests. Nothing is registered or changed."""
        self._check_image_name(image_name)
        problem = field_problem("base_image", base_image)
        if problem:
            raise SpecError({"base_image": f"base_image {problem}"})
        if against is not None and (
            isinstance(against, bool) or not isinstance(against, int) or against < 1
        ):
            raise SpecError(
                {"against": f"against {against!r} must be a version number of at least 1"}
            )
        limit = release_notes_limit()
        draft = NotesDraft(image_name, base_image, None, limit, against)
        if against is None:
            try:
                history = self.history(image_name)  # type: ignore[attr-defined]
            except NotFound:
                history = []
            created = [v for v in history if v.status == "CREATED" and version_image(v)]
            if not created:
                draft.reason = f"{image_name} has no CREATED version to compare with"
                draft.suggested = self.suggest_metadata(base_image)
                return draft
            previous = created[0]
        else:
            previous = self.get(image_name, version=against)  # type: ignore[attr-defined]
        draft.against = previous.version
        label = f"{image_name}:{previous.version}"
        # the older first: the new image's layers shared with it then come from the cache
        old = self._inventory(version_image(previous) or label)
        inventory = self._inventory(base_image)
        draft.diff = diff_inventories(old, inventory, label, base_image)
        draft.notes = draft_notes(draft.diff, limit)
        draft.suggested = suggest_metadata(inventory)
        return draft
