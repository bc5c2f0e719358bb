"""CDK apps (Python and TypeScript) that synthesize to the CloudFormation export."""

from __future__ import annotations

import json
from typing import Any

from ..core.models import ImageVersion
from .cloudformation import role_parameter
from .plan import ROLE_PARAMETER, TOOL, VERSION_PROPERTIES, Plan


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
        f"            description={lit(role_parameter(p)['Description'])},",
    ]
    pattern = role_parameter(p).get("AllowedPattern")
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
    role = role_parameter(p)
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
