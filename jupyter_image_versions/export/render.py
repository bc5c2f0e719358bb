"""Render a plan in one of the export formats."""

from __future__ import annotations

import json

from .cdk import cdk_python, cdk_typescript, escape_unprintable
from .cloudformation import cloudformation, to_yaml
from .plan import TERRAFORM_FORMATS, Plan, check_format
from .terraform import terraform


def render(
    plan_: Plan, fmt: str = "cloudformation", *, as_json: bool = False, imports: bool = True
) -> str:
    """The plan as CloudFormation YAML (or JSON), a CDK app in Python or TypeScript, or a
    Terraform configuration (HCL or JSON syntax; `imports` adds the import blocks)."""
    check_format(fmt)
    if fmt in TERRAFORM_FORMATS:
        return terraform(plan_, as_json=fmt == "terraform-json", imports=imports)
    if fmt == "cloudformation":
        template = cloudformation(plan_)
        if as_json:
            return escape_unprintable(json.dumps(template, indent=2, ensure_ascii=False)) + "\n"
        return to_yaml(template)
    if fmt == "cdk-python":
        return cdk_python(plan_)
    return cdk_typescript(plan_)
