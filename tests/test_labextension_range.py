"""The prebuilt sidebar fits every JupyterLab from 4.0 on (issue 24): what the build requires.

The running proof is scripts/compat.sh (JupyterLab 4.0.8 and the newest 4.x); these checks fail
as soon as the package or the build would require more than JupyterLab 4.0.8 has.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LABEXTENSION = ROOT / "labextension"
BUILT = ROOT / "jupyter_image_versions" / "labextension"
# webpack's consume-shared entries: ("default", "<module>", <strict?>, [1, major, minor, patch])
CONSUMED = re.compile(
    r'"default",\s*"(?P<name>[^"]+)",\s*(?:!1|false),\s*\[1,(?P<version>\d+,\d+,\d+)\]'
)


def _oldest() -> dict[str, Version]:
    """The versions JupyterLab 4.0.8 ships, as labextension/compat-types pins them."""
    pins = json.loads((LABEXTENSION / "compat-types" / "package.json").read_text())
    return {
        name: Version(pin)
        for name, pin in pins["devDependencies"].items()
        if name.startswith(("@jupyterlab/", "@lumino/")) or name == "react"
    }


def test_every_dependency_is_shared_from_its_oldest_supported_release() -> None:
    package = json.loads((LABEXTENSION / "package.json").read_text())
    shared = package["jupyterlab"]["sharedPackages"]
    oldest = _oldest()
    assert set(package["dependencies"]) == set(shared) == set(oldest)
    for name, spec in package["dependencies"].items():
        assert spec.startswith("^"), f"{name} {spec}: a ^ range, so every later 4.x fits"
        assert Version(spec[1:]) <= oldest[name], f"{name} {spec} is newer than JupyterLab 4.0.8's"
        assert shared[name] == {"bundled": False, "singleton": True, "requiredVersion": spec}


def test_the_built_bundle_requires_nothing_newer_than_jupyterlab_4_0() -> None:
    entries = list((BUILT / "static").glob("remoteEntry.*.js"))
    assert len(entries) == 1, "build the sidebar first (pip install -e . or jlpm build)"
    consumed = {
        m["name"]: Version(m["version"].replace(",", "."))
        for m in CONSUMED.finditer(entries[0].read_text())
    }
    oldest = _oldest()
    # the modules the code imports at run time (type-only imports leave none)
    assert {"@jupyterlab/application", "@jupyterlab/codemirror", "react"} <= set(consumed)
    for name, required in consumed.items():
        assert required <= oldest[name], f"the bundle requires {name} ^{required}"
    # and no copy of them: a production build lists what it bundles, a development one names
    # its modules by path
    shared = ("@jupyterlab/", "@lumino/", "react")
    licenses = BUILT / "static" / "third-party-licenses.json"
    if licenses.is_file():
        bundled = {p["name"] for p in json.loads(licenses.read_text())["packages"]}
    else:
        code = "".join(p.read_text() for p in (BUILT / "static").glob("*.js"))
        bundled = set(re.findall(r"node_modules/((?:@[\w.-]+/)?[\w.-]+)/", code))
        assert bundled, "a development build names its bundled modules (css-loader's at least)"
    assert not {name for name in bundled if name.startswith(shared)}, bundled
