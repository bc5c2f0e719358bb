"""Terraform: the plan as a configuration, in HCL (`main.tf`) or Terraform's JSON syntax.

Both come from one structure (`configuration()`: a list of `Block`s), so they say the same thing.
Strings are template-escaped in both syntaxes (`${` and `%{` are Terraform template sequences in
HCL strings and in JSON strings alike); HCL strings also get backslash escapes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import SpecError
from ..core.models import ImageVersion
from .cdk import escape_unprintable
from .plan import TERRAFORM_FORMATS, TOOL, VERSION_PROPERTIES, Plan

REQUIRED_VERSION = ">= 1.5"  # import blocks
PROVIDER_VERSION = ">= 6.0"  # aliases and the metadata arguments; the `image_name,version` id
ROLE_VARIABLE = "image_role_arn"
IMAGE_TYPE = "aws_sagemaker_image"
VERSION_TYPE = "aws_sagemaker_image_version"
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Ref:
    """An expression, not a string: HCL writes it bare; JSON as a string, in `${}` if `template`."""

    text: str
    template: bool = True


@dataclass
class Block:
    """A block: type, labels, body items (`(name, value)` attributes, `Block`s, `None` a blank
    line) and comment lines written above it (HCL only)."""

    type: str
    labels: tuple[str, ...] = ()
    body: list[Any] = field(default_factory=list)
    comment: tuple[str, ...] = ()


def check_imports(fmt: str, imports: bool | None, pin_digests: bool) -> bool:
    """Whether to write import blocks (the default for Terraform); a SpecError when `imports` is
    asked of another format, or with pinned digests (which would replace every imported version)."""
    if fmt not in TERRAFORM_FORMATS:
        if imports is not None:
            raise SpecError({"import": "import applies to the terraform formats only"})
        return False
    imports = True if imports is None else imports
    if imports and pin_digests:
        raise SpecError(
            {
                "pin_digests": "pin_digests changes every imported version's base_image, which "
                "Terraform can only do by replacing it (a new version number): export without "
                "import blocks (--no-import, import=false) to pin digests"
            }
        )
    return imports


def tf_name(image_name: str) -> str:
    """A Terraform resource name for the image: lower case, `_` for anything not [a-z0-9_]."""
    text = re.sub(r"[^a-z0-9_]", "_", image_name.lower())
    return text if text[:1].isalpha() or text[:1] == "_" else f"image_{text}"


def header(p: Plan, imports: bool) -> list[str]:
    """The comment at the top: source, export time, what import does, and the gaps."""
    numbers = [v.version for v in p.versions]
    lines = [
        f"SageMaker image {p.image.name} and its versions, as a Terraform configuration.",
        f"Exported by {TOOL} from {p.image.arn}",
        f"at {p.exported_at.strftime('%Y-%m-%dT%H:%M:%SZ')}.",
    ]
    if imports:
        lines += [
            "The import blocks adopt the live image (id: its name) and these versions (id:",
            f"'{p.image.name},N') as they are: terraform plan imports them and changes nothing.",
        ]
    else:
        lines.append(f"Apply: terraform apply -var {ROLE_VARIABLE}=arn:aws:iam::...")
    gaps = p.gaps()
    if gaps:
        if imports:
            lines.append("Left out (not managed by this configuration):")
        else:
            lines.append("Gaps a new apply cannot reproduce (it numbers versions densely from 1):")
        lines += [f"  {r}: {why}" for r, why in gaps]
        if not imports:
            lines.append(
                f"A new image numbers the source versions {', '.join(map(str, numbers))} as "
                f"1-{len(numbers)}, in depends_on order."
            )
    return [_printable(line) for line in lines]


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def _version_args(p: Plan, v: ImageVersion) -> list[tuple[str, Any]]:
    props = p.version_properties(v)
    out: list[tuple[str, Any]] = [("image_name", p.image.name), ("base_image", props["BaseImage"])]
    out += [(tf, props[prop]) for prop, _, tf in VERSION_PROPERTIES if prop in props]
    return out


def configuration(p: Plan, imports: bool = True) -> list[Block]:
    """The configuration: terraform, the role variable, the image, a version chain, imports."""
    check_imports("terraform", imports, p.pin_digests)
    name = tf_name(p.image.name)
    image = p.image
    source_role = f" (the source image uses {image.role_arn})" if image.role_arn else ""
    variable = Block(
        "variable",
        (ROLE_VARIABLE,),
        [
            ("description", f"IAM role SageMaker assumes to pull the image from ECR{source_role}"),
            ("type", Ref("string", template=False)),
        ],
    )
    if imports and image.role_arn:  # adopting: the role the image has, so nothing changes
        variable.body.append(("default", image.role_arn))
    image_args: list[Any] = [
        ("image_name", image.name),
        ("role_arn", Ref(f"var.{ROLE_VARIABLE}")),
    ]
    if image.display_name:
        image_args.append(("display_name", image.display_name))
    if image.description:
        image_args.append(("description", image.description))
    blocks = [
        Block(
            "terraform",
            body=[
                ("required_version", REQUIRED_VERSION),
                Block(
                    "required_providers",
                    body=[("aws", {"source": "hashicorp/aws", "version": PROVIDER_VERSION})],
                ),
            ],
            comment=tuple(header(p, imports)),
        ),
        variable,
        Block("resource", (IMAGE_TYPE, name), image_args),
    ]
    previous = f"{IMAGE_TYPE}.{name}"
    adopt = [Block("import", body=[("to", Ref(previous, template=False)), ("id", image.name)])]
    for v in p.versions:
        resource = f"{name}_v{v.version}"
        blocks.append(
            Block(
                "resource",
                (VERSION_TYPE, resource),
                [*_version_args(p, v), None, ("depends_on", [Ref(previous, template=False)])],
                comment=(f"Source version {v.version}",),
            )
        )
        previous = f"{VERSION_TYPE}.{resource}"
        adopt.append(
            Block(
                "import",
                body=[("to", Ref(previous, template=False)), ("id", f"{image.name},{v.version}")],
            )
        )
    if imports:
        adopt[0].comment = ("Adopt the live image and versions (Terraform 1.5+, OpenTofu 1.6+).",)
        blocks += adopt
    blocks.append(
        Block(
            "output",
            ("image_arn",),
            [("description", "The SageMaker image"), ("value", Ref(f"{IMAGE_TYPE}.{name}.arn"))],
        )
    )
    return blocks


# -- HCL -----------------------------------------------------------------------------------


def template_escape(text: str) -> str:
    """`${` -> `$${`, `%{` -> `%%{`: what a Terraform template reads as the literal text."""
    return text.replace("${", "$${").replace("%{", "%%{")


def hcl_string(value: str) -> str:
    """A quoted HCL string that Terraform reads as exactly `value`."""

    def escape(c: str) -> str:
        if c in _ESCAPES:
            return _ESCAPES[c]
        if c.isprintable():
            return c
        code = ord(c)
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"

    return '"' + template_escape("".join(escape(c) for c in value)) + '"'


def _hcl_value(value: Any, indent: str) -> str:
    if isinstance(value, Ref):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_hcl_value(item, indent) for item in value) + "]"
    if isinstance(value, dict):
        inner = indent + "  "
        width = max(len(key) for key in value)
        lines = [f"{inner}{k:<{width}} = {_hcl_value(v, inner)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + f"\n{indent}}}"
    return hcl_string(str(value))


def _hcl_block(block: Block, indent: str = "") -> list[str]:
    out = [f"{indent}# {line}".rstrip() for line in block.comment]
    labels = "".join(f" {hcl_string(label)}" for label in block.labels)
    out.append(f"{indent}{block.type}{labels} {{")
    inner = indent + "  "
    group: list[tuple[str, str]] = []  # consecutive one-line attributes align their `=`

    def flush() -> None:
        width = max((len(name) for name, _ in group), default=0)
        out.extend(f"{inner}{name:<{width}} = {text}" for name, text in group)
        group.clear()

    for item in block.body:
        if isinstance(item, Block):
            flush()
            out += _hcl_block(item, inner)
        elif item is None:
            flush()
            out.append("")
        else:
            name, value = item
            text = _hcl_value(value, inner)
            if "\n" in text:
                flush()
                out.append(f"{inner}{name} = {text}")
            else:
                group.append((name, text))
    flush()
    out.append(f"{indent}}}")
    return out


def to_hcl(blocks: list[Block]) -> str:
    """The blocks as HCL (`terraform fmt` style), one blank line between top-level blocks; the
    first block's comment is the file's header."""
    first, *rest = blocks
    head = "\n".join(f"# {line}".rstrip() for line in first.comment)
    body = [_hcl_block(Block(first.type, first.labels, first.body)), *map(_hcl_block, rest)]
    return "\n\n".join([head] * bool(head) + ["\n".join(lines) for lines in body]) + "\n"


# -- JSON syntax ---------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Ref):
        return f"${{{value.text}}}" if value.template else value.text
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return template_escape(str(value))  # JSON strings are templates too, without backslash escapes


def _json_body(block: Block) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for item in block.body:
        if isinstance(item, Block):
            _json_add(body, item)
        elif item is not None:
            body[item[0]] = _json_value(item[1])
    return body


def _json_add(into: dict[str, Any], block: Block) -> None:
    if not block.labels:
        if block.type == "import":  # repeated, unlabelled: an array of bodies
            into.setdefault(block.type, []).append(_json_body(block))
        else:
            into[block.type] = _json_body(block)
        return
    node = into.setdefault(block.type, {})
    for label in block.labels[:-1]:
        node = node.setdefault(label, {})
    node[block.labels[-1]] = _json_body(block)


def to_json(blocks: list[Block]) -> str:
    """The blocks in Terraform's JSON syntax; the comments as the root's "//" property."""
    root: dict[str, Any] = {}
    comments = [line for block in blocks[:1] for line in block.comment]
    if comments:
        root["//"] = "\n".join(comments)
    for block in blocks:
        _json_add(root, block)
    return escape_unprintable(json.dumps(root, indent=2, ensure_ascii=False)) + "\n"


def terraform(p: Plan, *, as_json: bool = False, imports: bool = True) -> str:
    """The plan as a Terraform configuration: HCL, or Terraform's JSON syntax."""
    blocks = configuration(p, imports)
    return to_json(blocks) if as_json else to_hcl(blocks)
