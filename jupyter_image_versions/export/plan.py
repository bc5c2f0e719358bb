"""Export an image's history as infrastructure code: CloudFormation (YAML/JSON) and CDK.

Pure rendering: it takes the Image and its ImageVersions (as the service read them) and returns
text. `ImageVersions.export` gathers them; the `export` command
is in commands/export.py.

A fresh stack cannot reproduce gaps in the numbering (deleted or failed versions): CloudFormation
creates the versions in `DependsOn` order, numbered densely from 1. So every version resource
carries its source number in `Metadata.SourceVersion`, and the template's `Description` (and its
`Metadata`) name the gaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..core.errors import SpecError
from ..core.models import Image, ImageVersion

FORMATS = ("cloudformation", "cdk-python", "cdk-typescript", "terraform", "terraform-json")
TERRAFORM_FORMATS = ("terraform", "terraform-json")
LIVE_STATUS = "CREATED"
ROLE_PARAMETER = "ImageRoleArn"
DESCRIPTION_MAX = 1024  # CloudFormation's limit for a template Description
MAX_SELECTED = 100_000  # numbers a --versions selection may cover
MAX_VERSIONS = 499  # CloudFormation allows 500 resources per template, one is the Image
TOOL = "jupyter-image-versions"

VERSION_PROPERTIES = (
    ("Aliases", "aliases", "aliases"),
    ("MLFramework", "ml_framework", "ml_framework"),
    ("ProgrammingLang", "programming_lang", "programming_lang"),
    ("Processor", "processor", "processor"),
    ("JobType", "job_type", "job_type"),
    ("Horovod", "horovod", "horovod"),
    ("ReleaseNotes", "release_notes", "release_notes"),
    ("VendorGuidance", "vendor_guidance", "vendor_guidance"),
)
_VERSIONS_ITEM = re.compile(r"\s*([0-9]{1,9})\s*(?:-\s*([0-9]{1,9})\s*)?")


# -- options -------------------------------------------------------------------------------


def check_format(fmt: str) -> str:
    """The format, or a SpecError naming the choices."""
    if fmt not in FORMATS:
        raise SpecError({"format": f"format '{fmt}' must be one of {', '.join(FORMATS)}"})
    return fmt


def parse_versions(text: str | Iterable[int] | None) -> frozenset[int] | None:
    """'3-7', '1,4,9-12' or an iterable of numbers -> the version numbers; None means all."""
    if text is None:
        return None
    if not isinstance(text, str):
        numbers = list(text)
        bad = [n for n in numbers if isinstance(n, bool) or not isinstance(n, int) or n < 1]
        if bad or not numbers:
            raise SpecError({"versions": "versions must be whole numbers of at least 1"})
        return frozenset(numbers)
    numbers: set[int] = set()
    for item in text.split(","):
        match = _VERSIONS_ITEM.fullmatch(item)
        if not match:
            raise SpecError(
                {"versions": f"versions '{text}' must be numbers and ranges, like 3-7 or 1,4,9-12"}
            )
        start = int(match[1])
        end = int(match[2]) if match[2] else start
        if start < 1:
            raise SpecError({"versions": f"'{item.strip()}' starts below 1; versions start at 1"})
        if end < start:
            raise SpecError(
                {
                    "versions": f"'{item.strip()}' counts down; "
                    f"write the lower number first, like {end}-{start}"
                }
            )
        numbers.update(range(start, min(end, start + MAX_SELECTED) + 1))
        if end - start >= MAX_SELECTED or len(numbers) > MAX_SELECTED:
            raise SpecError(
                {"versions": f"versions '{text}' covers more than {MAX_SELECTED:,} numbers"}
            )
    return frozenset(numbers)


@dataclass(frozen=True)
class Plan:
    """The versions to export (oldest first) and the numbers a fresh stack cannot reproduce."""

    image: Image
    versions: tuple[ImageVersion, ...]
    left_out: dict[int, str]  # number -> why ("deleted", "CREATE_FAILED", "ARCHIVED", ...)
    pin_digests: bool
    exported_at: datetime

    @property
    def name_id(self) -> str:
        return name_id(self.image.name)

    @property
    def image_id(self) -> str:
        return f"Image{self.name_id}"

    def version_id(self, v: ImageVersion) -> str:
        return f"{self.name_id}V{v.version}"

    def base_image(self, v: ImageVersion) -> str:
        if self.pin_digests and v.container_image:
            return v.container_image
        return v.base_image or ""

    def version_properties(self, v: ImageVersion) -> dict[str, Any]:
        props: dict[str, Any] = {"ImageName": self.image.name, "BaseImage": self.base_image(v)}
        for prop, attr, _ in VERSION_PROPERTIES:
            value = getattr(v, attr)
            if value is None or value == ():
                continue
            props[prop] = list(value) if isinstance(value, tuple) else value
        return props

    def gaps(self) -> list[tuple[str, str]]:
        """(numbers as ranges, why) for the numbers below the last exported one."""
        top = max((v.version for v in self.versions), default=0)
        by_reason: dict[str, list[int]] = {}
        for number in range(1, top + 1):
            if number in self.left_out:
                by_reason.setdefault(self.left_out[number], []).append(number)
        return [(ranges(numbers), why) for why, numbers in by_reason.items()]

    def description(self) -> str:
        numbers = [v.version for v in self.versions]
        text = (
            f"SageMaker image {self.image.name} ({self.image.arn}) exported by {TOOL} at "
            f"{self.exported_at.strftime('%Y-%m-%dT%H:%M:%SZ')}: {len(numbers)} versions"
        )
        if numbers:
            text += f" (source versions {ranges(numbers)})"
        gaps = self.gaps()
        if gaps:
            listed = "; ".join(f"{r} {why}" for r, why in gaps)
            text += (
                f". Gaps a new stack cannot reproduce: {listed}. A new stack numbers these "
                f"versions {ranges(range(1, len(numbers) + 1))}; Metadata.SourceVersion keeps "
                "each source number."
            )
        else:
            text += "."
        if len(text) > DESCRIPTION_MAX:
            text = text[: DESCRIPTION_MAX - 40] + "... (see the template Metadata for all)"
        return text

    def metadata(self) -> dict[str, Any]:
        # With pin_digests, a version SageMaker reported no ContainerImage for keeps its BaseImage.
        unpinned = [v.version for v in self.versions if self.pin_digests and not v.container_image]
        return {
            "SourceImageArn": self.image.arn,
            "ExportedAt": self.exported_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ExportedBy": TOOL,
            "SourceVersions": [v.version for v in self.versions],
            "Gaps": [{"Versions": r, "Reason": why} for r, why in self.gaps()],
            "PinnedDigests": self.pin_digests,
        } | ({"NotPinned": unpinned} if unpinned else {})


def plan(
    image: Image,
    history: Sequence[ImageVersion],
    *,
    versions: str | Iterable[int] | None = None,
    pin_digests: bool = False,
    include_archived: bool = True,
    exported_at: datetime | None = None,
) -> Plan:
    """Choose the live versions to export, oldest first, and explain every number left out."""
    wanted = parse_versions(versions)
    by_number = {v.version: v for v in history}
    left_out: dict[int, str] = {}
    chosen = []
    top = max(by_number, default=0)
    for number in range(1, top + 1):
        v = by_number.get(number)
        if v is None:
            left_out[number] = "deleted"
        elif v.status != LIVE_STATUS:
            left_out[number] = v.status
        elif wanted is not None and number not in wanted:
            left_out[number] = "not selected"
        elif not include_archived and v.vendor_guidance == "ARCHIVED":
            left_out[number] = "ARCHIVED, left out"
        else:
            chosen.append(v)
    if wanted is not None and not chosen:
        raise SpecError(
            {"versions": f"no live version of {image.name} is in the versions asked for"}
        )
    if len(chosen) > MAX_VERSIONS:
        raise SpecError(
            {
                "versions": f"{len(chosen)} versions of {image.name} exceed CloudFormation's 500 "
                f"resources per template; export at most {MAX_VERSIONS}, e.g. --versions "
                f"{chosen[-MAX_VERSIONS].version}-{chosen[-1].version}"
            }
        )
    return Plan(
        image=image,
        versions=tuple(chosen),
        left_out=left_out,
        pin_digests=pin_digests,
        exported_at=exported_at or datetime.now(timezone.utc),
    )


def name_id(image_name: str) -> str:
    """CamelCase of an image name, alphanumeric (valid in logical ids and class names)."""
    parts = re.split(r"[^A-Za-z0-9]+", image_name)
    text = "".join(part[:1].upper() + part[1:] for part in parts if part)
    return ("Image" + text) if not text or text[0].isdigit() else text


def ranges(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 5, 7, 8] -> '1-3, 5, 7-8'."""
    out: list[str] = []
    run: list[int] = []
    for n in sorted(set(numbers)):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [n]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ", ".join(out)
