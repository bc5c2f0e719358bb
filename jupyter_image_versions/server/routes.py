"""Every route of the REST API, under /image-versions/api; a new route goes in its resource's
handlers module and is listed there."""

from __future__ import annotations

from .analysis_handlers import ROUTES as ANALYSIS_ROUTES
from .base import API_PREFIX, ImageVersionsHandler
from .contents_handlers import ROUTES as CONTENTS_ROUTES
from .derive_handlers import ROUTES as DERIVE_ROUTES
from .doctor_handlers import ROUTES as DOCTOR_ROUTES
from .image_handlers import ROUTES as IMAGE_ROUTES
from .meta_handlers import ROUTES as META_ROUTES
from .studio_handlers import ROUTES as STUDIO_ROUTES
from .version_handlers import ROUTES as VERSION_ROUTES


def handlers() -> list[tuple[str, type[ImageVersionsHandler]]]:
    """The routes with their full paths."""
    routes = (
        *META_ROUTES,
        *IMAGE_ROUTES,
        *VERSION_ROUTES,
        *STUDIO_ROUTES,
        *DOCTOR_ROUTES,
        *CONTENTS_ROUTES,
        *ANALYSIS_ROUTES,
        *DERIVE_ROUTES,
    )
    return [(API_PREFIX + path, handler) for path, handler in routes]
