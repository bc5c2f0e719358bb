"""CloudFormation: the plan as a template dict, and YAML that any YAML 1.1 or 1.2 parser reads."""

from __future__ import annotations

import re
from typing import Any

from ..core import awsmodel
from .plan import ROLE_PARAMETER, Plan

_YAML12_NOT_STRING = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
)


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
        "Parameters": {ROLE_PARAMETER: role_parameter(p)},
        "Resources": resources,
        "Outputs": {
            "ImageArn": {
                "Description": "The SageMaker image",
                "Value": {"Fn::GetAtt": [p.image_id, "ImageArn"]},
            }
        },
    }


def role_parameter(p: Plan) -> dict[str, Any]:
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
