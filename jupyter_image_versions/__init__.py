"""Manage Amazon SageMaker image versions from Jupyter.

Importing this package is cheap: boto3 and botocore are imported on first use.
"""

from ._version import __version__
from .errors import (
    AwsError,
    Conflict,
    CreateFailed,
    ImageVersionsError,
    NoCredentials,
    NotFound,
    SpecError,
    Throttled,
)
from .models import Image, ImageVersion
from .service import ImageVersions
from .spec import ImageVersionSpec

__all__ = [
    "AwsError",
    "Conflict",
    "CreateFailed",
    "Image",
    "ImageVersion",
    "ImageVersionSpec",
    "ImageVersions",
    "ImageVersionsError",
    "NoCredentials",
    "NotFound",
    "SpecError",
    "Throttled",
    "__version__",
]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    # Replaced by the server extension's ExtensionApp (issue 3) when that lands.
    return [{"module": "jupyter_image_versions._serverext"}]
