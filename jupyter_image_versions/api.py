"""ImageVersions, the public Python API: the core service with its Studio and export parts."""

from __future__ import annotations

from .contents.analysis import AnalysisMethods
from .contents.service import ContentsMethods
from .core.service import ImageVersionsCore
from .derive.service import DeriveMethods
from .export.service import ExportMethods
from .studio.service import StudioMethods


class ImageVersions(
    DeriveMethods, AnalysisMethods, ContentsMethods, StudioMethods, ExportMethods, ImageVersionsCore
):
    """Manage the versions of SageMaker images: register, list, alias, update, delete, wait;
    attach them to Studio domains; export them as CloudFormation, CDK or Terraform; read what
    an image version holds (contents), compare two (diff), search a history (find), and give
    its SBOM and drafted release notes; derive new versions by adding packages."""
