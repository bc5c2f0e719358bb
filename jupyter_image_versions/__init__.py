"""Manage Amazon SageMaker image versions from Jupyter.

Importing this package is cheap: boto3 and botocore are imported on first use.
"""

from ._version import __version__
from .api import ImageVersions
from .core.errors import (
    AwsError,
    Conflict,
    CreateFailed,
    DeleteFailed,
    ImageVersionsError,
    NoCredentials,
    NotFound,
    SpecError,
    Throttled,
)
from .core.models import Image, ImageVersion
from .core.spec import ImageVersionSpec


def _jupyter_server_extension_points() -> list[dict]:
    """The jupyter_server extension (imported only when the server loads it)."""
    from .server.app import ImageVersionsApp

    return [{"module": "jupyter_image_versions", "app": ImageVersionsApp}]


__all__ = [
    "AwsError",
    "Conflict",
    "CreateFailed",
    "DeleteFailed",
    "Image",
    "ImageVersion",
    "ImageVersionPanel",
    "ImageVersionSpec",
    "ImageVersions",
    "ImageVersionsError",
    "NoCredentials",
    "NotFound",
    "SpecError",
    "Throttled",
    "__version__",
]


def load_ipython_extension(ipython: object) -> None:
    """`%load_ext jupyter_image_versions`: registers `%imageversion` (boto3 loads on first use)."""
    from .notebook.magic import load_ipython_extension as load

    load(ipython)


def __getattr__(name: str) -> object:
    # ipywidgets is imported only by code that asks for the panel.
    if name == "ImageVersionPanel":
        from .notebook.widgets import ImageVersionPanel

        return ImageVersionPanel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where JupyterLab finds the prebuilt sidebar (used by `jupyter labextension develop`)."""
    return [{"src": "labextension", "dest": "jupyter-image-versions"}]
