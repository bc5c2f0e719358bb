"""Placeholder server extension, so that `jupyter server extension enable` accepts the package.

The REST API (server/, issue 3) replaces this module as the extension point when it lands.
"""

from __future__ import annotations

from typing import Any


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.log.info("jupyter_image_versions: loaded (the REST API is not in this build)")
