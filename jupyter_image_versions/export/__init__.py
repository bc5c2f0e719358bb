"""Export an image's history as CloudFormation (YAML/JSON), a CDK app (Python/TypeScript) or a
Terraform configuration (HCL or JSON syntax).

Rendering only: `ImageVersions.export` (service.py) gathers the data, commands/export.py is the
`export` command.
"""

from .cdk import cdk_python, cdk_typescript
from .cloudformation import cloudformation, to_yaml
from .plan import (
    FORMATS,
    TERRAFORM_FORMATS,
    VERSION_PROPERTIES,
    Plan,
    check_format,
    name_id,
    parse_versions,
    plan,
    ranges,
)
from .render import render
from .terraform import hcl_string, terraform

__all__ = [
    "FORMATS",
    "TERRAFORM_FORMATS",
    "VERSION_PROPERTIES",
    "Plan",
    "cdk_python",
    "cdk_typescript",
    "check_format",
    "cloudformation",
    "hcl_string",
    "name_id",
    "parse_versions",
    "plan",
    "ranges",
    "render",
    "terraform",
    "to_yaml",
]
