"""Export an image's history as infrastructure code: CloudFormation (YAML/JSON) and CDK.

Pure rendering: it takes the Image and its ImageVersions (as the service read them) and returns
text. `ImageVersions.export` gathers them; `add_commands` adds `export` to the shared grammar.

A fresh stack cannot reproduce gaps in the numbering (deleted or failed versions): CloudFormation
creates the versions in `DependsOn` order, numbered densely from 1. So every version resource
carries its source number in `Metadata.SourceVersion`, and the template's `Description` (and its
`Metadata`) name the gaps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .errors import SpecError
from .models import Image, ImageVersion

FORMATS = ("cloudformation", "cdk-python", "cdk-typescript")
LIVE_STATUS = "CREATED"
ROLE_PARAMETER = "ImageRoleArn"
DESCRIPTION_MAX = 1024  # CloudFormation's limit for a template Description
MAX_SELECTED = 100_000  # numbers a --versions selection may cover
MAX_VERSIONS = 499  # CloudFormation allows 500 resources per template, one is the Image
TOOL = "jupyter-image-versions"

# CfnImageVersion properties, in template order: (property, ImageVersion field, CDK name).
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
# Plain scalars a YAML 1.2 (core schema) parser reads as numbers, null or booleans.
_YAML12_NOT_STRING = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
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
        if start < 1 or end < start:
            raise SpecError(
                {"versions": f"versions '{text}': range '{item.strip()}' must go up from 1 or more"}
            )
        numbers.update(range(start, min(end, start + MAX_SELECTED) + 1))
        if end - start >= MAX_SELECTED or len(numbers) > MAX_SELECTED:
            raise SpecError(
                {"versions": f"versions '{text}' covers more than {MAX_SELECTED:,} numbers"}
            )
    return frozenset(numbers)


# -- what is exported ----------------------------------------------------------------------


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


# -- rendering -----------------------------------------------------------------------------


def render(plan_: Plan, fmt: str = "cloudformation", *, as_json: bool = False) -> str:
    """The plan as CloudFormation YAML (or JSON), or as a CDK app in Python or TypeScript."""
    check_format(fmt)
    if fmt == "cloudformation":
        template = cloudformation(plan_)
        if as_json:
            return escape_unprintable(json.dumps(template, indent=2, ensure_ascii=False)) + "\n"
        return to_yaml(template)
    if fmt == "cdk-python":
        return cdk_python(plan_)
    return cdk_typescript(plan_)


def cloudformation(p: Plan) -> dict[str, Any]:
    """The template as a dict (long-form intrinsics only, so any YAML or JSON parser reads it)."""
    image_props: dict[str, Any] = {
        "ImageName": p.image.name,
        "ImageRoleArn": {"Ref": ROLE_PARAMETER},
    }
    if p.image.display_name:
        image_props["ImageDisplayName"] = p.image.display_name
    if p.image.description:
        image_props["ImageDescription"] = p.image.description
    resources: dict[str, Any] = {
        p.image_id: {"Type": "AWS::SageMaker::Image", "Properties": image_props}
    }
    previous = p.image_id
    for v in p.versions:
        resources[p.version_id(v)] = {
            "Type": "AWS::SageMaker::ImageVersion",
            "DependsOn": previous,
            "Metadata": {"SourceVersion": v.version},
            "Properties": p.version_properties(v),
        }
        previous = p.version_id(v)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": p.description(),
        "Metadata": {"JupyterImageVersions": p.metadata()},
        "Parameters": {ROLE_PARAMETER: _role_parameter(p)},
        "Resources": resources,
        "Outputs": {
            "ImageArn": {
                "Description": "The SageMaker image",
                "Value": {"Fn::GetAtt": [p.image_id, "ImageArn"]},
            }
        },
    }


def _role_parameter(p: Plan) -> dict[str, Any]:
    from . import awsmodel

    pattern = awsmodel.input_shape("sagemaker", "CreateImage", "RoleArn").metadata.get("pattern")
    source = f" (the source image uses {p.image.role_arn})" if p.image.role_arn else ""
    param = {
        "Type": "String",
        "Description": f"IAM role SageMaker assumes to pull the image from ECR{source}",
    }
    if pattern:
        param["AllowedPattern"] = pattern
    return param


def to_yaml(data: Any) -> str:
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        # Several lines read best as a literal block; PyYAML falls back to a quoted style by
        # itself whenever a block could not hold the string exactly.
        style = "|" if "\n" in value else None
        if style is None and _YAML12_NOT_STRING.fullmatch(value):
            style = "'"  # PyYAML (YAML 1.1) would leave 1e3 or 0o17 plain; YAML 1.2 reads numbers
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


# -- CDK -----------------------------------------------------------------------------------


def literal(value: Any, lang: str) -> str:
    """A string, bool, number or list as source valid in both Python and TypeScript."""
    if isinstance(value, bool):
        return (
            ("True" if value else "False") if lang == "python" else ("true" if value else "false")
        )
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(item, lang) for item in value) + "]"
    return escape_unprintable(json.dumps(str(value), ensure_ascii=False), surrogates=False)


def escape_unprintable(text: str, *, surrogates: bool = True) -> str:
    """Escape, as \\uXXXX, what JSON leaves raw but parsers or editors trip on: DEL, C1 controls,
    line and paragraph separators, a BOM. The text must be JSON already (strings escaped)."""

    def escape(c: str) -> str:
        if c in "\n " or c.isprintable():
            return c
        code = ord(c)
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        if not surrogates:  # \\uD83D\\uDE80 would be two bad characters in Python: keep it raw
            return c
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return "".join(escape(c) for c in text)


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _cdk_props(p: Plan, v: ImageVersion) -> list[tuple[str, Any]]:
    props = p.version_properties(v)
    out = [("image_name", props["ImageName"]), ("base_image", props["BaseImage"])]
    out += [(cdk, props[prop]) for prop, _, cdk in VERSION_PROPERTIES if prop in props]
    return out


def _header_lines(p: Plan) -> list[str]:
    lines = [
        f"SageMaker image {p.image.name} and its versions, as a CDK app.",
        f"Exported by {TOOL} from {p.image.arn}",
        f"at {p.exported_at.strftime('%Y-%m-%dT%H:%M:%SZ')}.",
    ]
    gaps = p.gaps()
    if gaps:
        lines.append("Gaps a new stack cannot reproduce (it numbers versions densely from 1):")
        lines += [f"  {r}: {why}" for r, why in gaps]
    return lines


def cdk_python(p: Plan) -> str:
    """A CDK app in Python: a Stack with CfnImage and a CfnImageVersion chain."""
    lit = lambda value: literal(value, "python")  # noqa: E731
    image = p.image
    header = "\n".join(f"# {line}" for line in _header_lines(p))
    out = [
        "#!/usr/bin/env python3",
        header,
        "# Deploy: cdk deploy --app 'python3 app.py' --parameters ImageRoleArn=arn:aws:iam::...",
        "import aws_cdk as cdk",
        "from aws_cdk import aws_sagemaker as sagemaker",
        "from constructs import Construct",
        "",
        "",
        f"class {p.name_id}ImageStack(cdk.Stack):",
        "    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:",
        f'        kwargs.setdefault("description", {lit(p.description())})',
        "        super().__init__(scope, construct_id, **kwargs)",
        "        role_arn = cdk.CfnParameter(",
        "            self,",
        f"            {lit(ROLE_PARAMETER)},",
        '            type="String",',
        f"            description={lit(_role_parameter(p)['Description'])},",
    ]
    pattern = _role_parameter(p).get("AllowedPattern")
    if pattern:
        out.append(f"            allowed_pattern={lit(pattern)},")
    out += [
        "        )",
        "        image = sagemaker.CfnImage(",
        "            self,",
        f"            {lit(p.image_id)},",
        f"            image_name={lit(image.name)},",
        "            image_role_arn=role_arn.value_as_string,",
    ]
    if image.display_name:
        out.append(f"            image_display_name={lit(image.display_name)},")
    if image.description:
        out.append(f"            image_description={lit(image.description)},")
    out += ["        )", "        previous: cdk.CfnResource = image"]
    for v in p.versions:
        out += [
            "        version = sagemaker.CfnImageVersion(",
            "            self,",
            f"            {lit(p.version_id(v))},",
        ]
        out += [f"            {name}={lit(value)}," for name, value in _cdk_props(p, v)]
        out += [
            "        )",
            f'        version.add_metadata("SourceVersion", {v.version})',
            "        version.node.add_dependency(previous)",
            "        previous = version",
        ]
    out += [
        '        cdk.CfnOutput(self, "ImageArn", value=image.attr_image_arn)',
        "",
        "",
        "app = cdk.App()",
        f"{p.name_id}ImageStack(app, {lit(p.name_id + 'Image')})",
        "app.synth()",
        "",
    ]
    return "\n".join(out)


def cdk_typescript(p: Plan) -> str:
    """A CDK app in TypeScript: the same stack, with addDependency."""
    lit = lambda value: literal(value, "typescript")  # noqa: E731
    image = p.image
    header = "\n".join(f"// {line}" for line in _header_lines(p))
    role = _role_parameter(p)
    out = [
        header,
        "// Deploy: cdk deploy --app 'npx ts-node app.ts' --parameters ImageRoleArn=...",
        "import * as cdk from 'aws-cdk-lib';",
        "import { aws_sagemaker as sagemaker } from 'aws-cdk-lib';",
        "import { Construct } from 'constructs';",
        "",
        f"export class {p.name_id}ImageStack extends cdk.Stack {{",
        "  constructor(scope: Construct, id: string, props?: cdk.StackProps) {",
        f"    super(scope, id, {{ description: {lit(p.description())}, ...props }});",
        f"    const roleArn = new cdk.CfnParameter(this, {lit(ROLE_PARAMETER)}, {{",
        "      type: 'String',",
        f"      description: {lit(role['Description'])},",
    ]
    if role.get("AllowedPattern"):
        out.append(f"      allowedPattern: {lit(role['AllowedPattern'])},")
    out += [
        "    });",
        f"    const image = new sagemaker.CfnImage(this, {lit(p.image_id)}, {{",
        f"      imageName: {lit(image.name)},",
        "      imageRoleArn: roleArn.valueAsString,",
    ]
    if image.display_name:
        out.append(f"      imageDisplayName: {lit(image.display_name)},")
    if image.description:
        out.append(f"      imageDescription: {lit(image.description)},")
    out += ["    });", "    let previous: cdk.CfnResource = image;"]
    for v in p.versions:
        out.append(
            f"    {{\n      const version = new sagemaker.CfnImageVersion(this, "
            f"{lit(p.version_id(v))}, {{"
        )
        out += [f"        {_camel(name)}: {lit(value)}," for name, value in _cdk_props(p, v)]
        out += [
            "      });",
            f"      version.addMetadata('SourceVersion', {v.version});",
            "      version.node.addDependency(previous);",
            "      previous = version;",
            "    }",
        ]
    out += [
        "    new cdk.CfnOutput(this, 'ImageArn', { value: image.attrImageArn });",
        "  }",
        "}",
        "",
        "const app = new cdk.App();",
        f"new {p.name_id}ImageStack(app, {lit(p.name_id + 'Image')});",
        "app.synth();",
        "",
    ]
    return "\n".join(out)


# -- helpers -------------------------------------------------------------------------------


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


# -- the `export` command ------------------------------------------------------------------


class Code(str):
    """Exported text: a str that a notebook shows as code (escaped), not as a quoted repr."""

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(self)}</pre>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def cmd_export(args: Any, ctx: Any) -> Any:
    """`export IMAGE [--format F] [--json] [--versions 3-7] [--pin-digests] [--no-archived]
    [--output FILE]`: the template or app as text; `--json` means CloudFormation JSON."""
    from .commands import Outcome, UsageError, option, parse_target

    image = parse_target(args.image, need="image").image
    as_json = bool(option(args, "json", False))
    if as_json and args.format != "cloudformation":
        raise UsageError("--json applies to --format cloudformation only")
    code = Code(
        ctx.service.export(
            image,
            format=args.format,
            versions=args.versions,
            pin_digests=args.pin_digests,
            include_archived=not args.no_archived,
            as_json=as_json,
        )
    )
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(code)
        except OSError as exc:
            raise UsageError(f"--output {args.output}: {exc.strerror or exc}") from None
        note = f"Wrote the {args.format} export of {image} to {args.output}."
        summary = {"image_name": image, "format": args.format, "output": args.output}
        return Outcome(args.output, note, summary, None, note=note)
    if args.format != "cloudformation":
        data: Any = str(code)
    elif as_json:
        data = json.loads(code)  # the CLI's --json prints the template itself
    else:
        import yaml

        data = yaml.safe_load(code)
    return Outcome(code, code.rstrip("\n"), data, code._repr_html_())


def add_commands(sub: Any, magic: bool) -> None:
    """Add `export` to the shared grammar (CLI and magic alike)."""
    p = sub.add_parser("export", help="an image's history as CloudFormation or CDK code")
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--format", choices=FORMATS, default="cloudformation", help="what to write")
    p.add_argument("--versions", metavar="3-7", help="only these versions: 3-7 or 1,4,9-12")
    p.add_argument(
        "--pin-digests", action="store_true", help="BaseImage by digest (the same bytes)"
    )
    p.add_argument("--no-archived", action="store_true", help="leave ARCHIVED versions out")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of printing")
    p.set_defaults(func=cmd_export)
