"""The values the service returns: Image and ImageVersion."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(obj: Any) -> dict[str, Any]:
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, datetime):
            value = _iso(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


@dataclass(frozen=True)
class Image:
    """A SageMaker image (the parent of its versions)."""

    name: str
    arn: str
    status: str
    display_name: str | None = None
    description: str | None = None
    role_arn: str | None = None
    failure_reason: str | None = None
    created: datetime | None = None
    modified: datetime | None = None

    @classmethod
    def from_aws(cls, d: dict[str, Any]) -> Image:
        """From a DescribeImage answer or a ListImages summary."""
        return cls(
            name=d["ImageName"],
            arn=d["ImageArn"],
            status=d.get("ImageStatus", ""),
            display_name=d.get("DisplayName"),
            description=d.get("Description"),
            role_arn=d.get("RoleArn"),
            failure_reason=d.get("FailureReason"),
            created=d.get("CreationTime"),
            modified=d.get("LastModifiedTime"),
        )

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True)
class ImageVersion:
    """One version of a SageMaker image, with its aliases."""

    image_name: str
    version: int
    arn: str
    image_arn: str
    status: str
    base_image: str | None = None
    container_image: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)
    ml_framework: str | None = None
    programming_lang: str | None = None
    processor: str | None = None
    job_type: str | None = None
    horovod: bool | None = None
    release_notes: str | None = None
    vendor_guidance: str | None = None
    failure_reason: str | None = None
    created: datetime | None = None
    modified: datetime | None = None

    @classmethod
    def from_aws(cls, image_name: str, d: dict[str, Any]) -> ImageVersion:
        """From a DescribeImageVersion answer (aliases are added by the caller)."""
        return cls(
            image_name=image_name,
            version=d["Version"],
            arn=d["ImageVersionArn"],
            image_arn=d["ImageArn"],
            status=d["ImageVersionStatus"],
            base_image=d.get("BaseImage"),
            container_image=d.get("ContainerImage"),
            ml_framework=d.get("MLFramework"),
            programming_lang=d.get("ProgrammingLang"),
            processor=d.get("Processor"),
            job_type=d.get("JobType"),
            horovod=d.get("Horovod"),
            release_notes=d.get("ReleaseNotes"),
            vendor_guidance=d.get("VendorGuidance"),
            failure_reason=d.get("FailureReason"),
            created=d.get("CreationTime"),
            modified=d.get("LastModifiedTime"),
        )

    def to_dict(self) -> dict[str, Any]:
        """snake_case fields, ISO-8601 times, aliases as a list."""
        return _plain(self)
