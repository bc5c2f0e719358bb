"""The jupyter_server extension: the image-versions REST API under /image-versions/api."""

from .app import ImageVersionsApp

__all__ = ["ImageVersionsApp"]
