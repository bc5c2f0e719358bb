"""ImageVersionSpec: AWS::SageMaker::ImageVersion's properties, validated from botocore's model."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from . import awsmodel
from .errors import SpecError

# Spec field -> CreateImageVersion member. Every rule below is read from that member's shape.
REQUEST_MEMBERS: dict[str, str] = {
    "image_name": "ImageName",
    "base_image": "BaseImage",
    "aliases": "Aliases",
    "ml_framework": "MLFramework",
    "programming_lang": "ProgrammingLang",
    "processor": "Processor",
    "job_type": "JobType",
    "horovod": "Horovod",
    "release_notes": "ReleaseNotes",
    "vendor_guidance": "VendorGuidance",
}
# Metadata fields that UpdateImageVersion can change after registration.
METADATA_FIELDS = (
    "ml_framework",
    "programming_lang",
    "processor",
    "job_type",
    "horovod",
    "release_notes",
    "vendor_guidance",
)

# Human explanations of the model's patterns; the patterns themselves come from botocore.
PATTERN_HINTS: dict[str, str] = {
    "image_name": "must be 1-63 letters or digits, optionally joined by single '-' or '.'",
    "ml_framework": "must look like 'PyTorch 2.3' (letters, optional space, major.minor[.patch])",
    "programming_lang": "must look like 'Python 3.11' (letters, optional space, "
    "major.minor[.patch])",
    "aliases": "must be letters, digits, '-', '_' or '.', and not start with '-' or '.'",
}

ECR_URI_FORM = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@sha256:<64 hex>]"
_ECR_HOST = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z]{2}(-[a-z]+)+-\d)\.amazonaws\.com(\.cn)?"
)
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?"
)


@dataclass(frozen=True)
class EcrReference:
    """A parsed ECR image URI."""

    account: str
    region: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def registry(self) -> str:
        return f"{self.account}.dkr.ecr.{self.region}.amazonaws.com"


def parse_ecr_uri(uri: str) -> EcrReference | None:
    """Parse `uri` into its parts; None when it is not a valid ECR image URI."""
    host, sep, rest = uri.partition("/")
    match = _ECR_HOST.fullmatch(host)
    if not (match and sep and rest):
        return None
    tag = digest = None
    if "@" in rest:
        rest, _, digest = rest.partition("@")
        if not _DIGEST.fullmatch(digest):
            return None
    elif ":" in rest:
        rest, _, tag = rest.partition(":")
        tag_shape = awsmodel.input_shape("ecr", "PutImage", "imageTag")
        if awsmodel.string_problem(tag_shape, tag) or not re.fullmatch(r"[\w][\w.-]*", tag):
            return None
    repo_shape = awsmodel.input_shape("ecr", "CreateRepository", "repositoryName")
    if awsmodel.string_problem(repo_shape, rest):
        return None
    return EcrReference(match["account"], match["region"], rest, tag, digest)


def field_problem(name: str, value: Any) -> str | None:
    """The problem with one field's value, or None.

    The message does not name the field: each front end puts its own name before it (the CLI its
    option, `--framework`; the sidebar and panel their label, "ML framework"), and REST answers
    key it by field in `problems`.
    """
    if value is None:
        if name in ("image_name", "base_image"):
            return "is required"
        return None
    shape = awsmodel.input_shape("sagemaker", "CreateImageVersion", REQUEST_MEMBERS[name])
    if name == "horovod":
        return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
    if name == "aliases":
        return _aliases_problem(shape, value)
    problem = awsmodel.string_problem(shape, value, pattern_hint=PATTERN_HINTS.get(name))
    if problem:
        return problem
    if name == "base_image" and parse_ecr_uri(value) is None:
        return f"{awsmodel.describe_value(value)} must be an ECR image URI: {ECR_URI_FORM}"
    return None


def alias_problem(alias: Any) -> str | None:
    """The problem with one alias, or None; whitespace is named before the pattern."""
    shape = awsmodel.input_shape("sagemaker", "CreateImageVersion", "Aliases").member
    if isinstance(alias, str) and alias and re.search(r"\s", alias):
        return f"cannot contain a space, as in {awsmodel.describe_value(alias)}"
    return awsmodel.string_problem(shape, alias, pattern_hint=PATTERN_HINTS["aliases"])


def _aliases_problem(shape: Any, aliases: Any) -> str | None:
    if isinstance(aliases, str) or not isinstance(aliases, list | tuple):
        return f"must be a list of names, not {aliases!r}"
    for alias in aliases:
        problem = alias_problem(alias)
        if problem:
            return problem
    seen: set[str] = set()
    for alias in aliases:
        if alias in seen:
            return f"'{alias}' is given twice; each alias may appear once"
        seen.add(alias)
    high = shape.metadata.get("max")
    if high is not None and len(aliases) > high:
        return f"has {len(aliases)} entries; at most {high} allowed"
    return None


def is_semver(alias: str) -> bool:
    """True for SemVer-like aliases ('2.3.0', '1.0.0-rc.1') that Studio accepts."""
    return bool(_SEMVER.fullmatch(alias))


@dataclass
class ImageVersionSpec:
    """Everything CreateImageVersion takes: the CfnImageVersion properties, in snake_case."""

    image_name: str
    base_image: str
    aliases: list[str] = field(default_factory=list)
    ml_framework: str | None = None
    programming_lang: str | None = None
    processor: str | None = None
    job_type: str | None = None
    horovod: bool | None = None
    release_notes: str | None = None
    vendor_guidance: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImageVersionSpec:
        """Build from a snake_case mapping; unknown or missing fields raise SpecError."""
        if not isinstance(data, dict):
            raise SpecError({"body": "the request body must be a JSON object"})
        known = {f.name for f in fields(cls)}
        problems = {k: "is not a field of an image version" for k in data if k not in known}
        for required in ("image_name", "base_image"):
            if data.get(required) in (None, ""):
                problems[required] = "is required"
        if problems:
            raise SpecError(problems)
        values = {k: v for k, v in data.items() if v is not None}
        if "aliases" in values and isinstance(values["aliases"], tuple):
            values["aliases"] = list(values["aliases"])
        return cls(**values)

    def problems(self) -> dict[str, str]:
        """Field -> message for every rule broken; {} when the spec is valid."""
        found = {}
        for name in REQUEST_MEMBERS:
            problem = field_problem(name, getattr(self, name))
            if problem:
                found[name] = problem
        return found

    def warnings(self) -> dict[str, str]:
        """Advice that does not block registration (e.g. non-SemVer aliases)."""
        if not isinstance(self.aliases, list | tuple):
            return {}
        loose = [a for a in self.aliases if isinstance(a, str) and not is_semver(a)]
        if not loose:
            return {}
        names = ", ".join(f"'{a}'" for a in loose)
        return {
            "aliases": f"{names} are not SemVer (MAJOR.MINOR.PATCH); Studio's "
            "SageMakerImageVersionAlias expects SemVer and may refuse them"
        }

    def validate(self) -> ImageVersionSpec:
        """Raise SpecError carrying `problems()` unless the spec is valid."""
        problems = self.problems()
        if problems:
            raise SpecError(problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_request(self) -> dict[str, Any]:
        """CreateImageVersion parameters (without ClientToken), only the fields that are set."""
        request = {}
        for name, member in REQUEST_MEMBERS.items():
            value = getattr(self, name)
            if value is None or (name == "aliases" and not value):
                continue
            request[member] = list(value) if name == "aliases" else value
        return request

    def client_token(self, digest: str | None = None) -> str:
        """A stable ClientToken from the request and the base image's digest (36 chars)."""
        payload = json.dumps([self.to_request(), digest], sort_keys=True, default=str)
        h = hashlib.sha256(payload.encode()).hexdigest()[:32]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
