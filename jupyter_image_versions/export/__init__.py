"""Export an image's history as CloudFormation (YAML/JSON) or a CDK app (Python/TypeScript).

Rendering only: `ImageVersions.export` (service.py) gathers the data, commands/export.py is the
`export` command.
"""

from .cdk import cdk_python, cdk_typescript
from .cloudformation import cloudformation, to_yaml
from .plan import (
    FORMATS,
    VERSION_PROPERTIES,
    Plan,
    check_format,
    name_id,
    parse_versions,
    plan,
    ranges,
)
from .render import render

__all__ = [
    "FORMATS",
    "VERSION_PROPERTIES",
    "Plan",
    "cdk_python",
    "cdk_typescript",
    "check_format",
    "cloudformation",
    "name_id",
    "parse_versions",
    "plan",
    "ranges",
    "render",
    "to_yaml",
]
