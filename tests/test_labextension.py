"""The JupyterLab sidebar's packaging and its ties to the Python side.

The sidebar's behaviour is tested in a real browser by labextension/ui-tests (Galata); these
checks keep the package, the installed extension and the shared wording consistent.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_image_versions import __version__, _jupyter_labextension_paths
from jupyter_image_versions.core.spec import PATTERN_HINTS

ROOT = Path(__file__).resolve().parents[1]
LABEXTENSION = ROOT / "labextension"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _jupyter(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return ANSI.sub("", done.stdout + done.stderr)


def test_package_json_matches_the_python_package() -> None:
    package = json.loads((LABEXTENSION / "package.json").read_text())
    assert package["name"] == "jupyter-image-versions"
    assert package["version"] == __version__
    assert package["jupyterlab"]["extension"] is True
    assert package["jupyterlab"]["outputDir"] == "../jupyter_image_versions/labextension"
    assert _jupyter_labextension_paths() == [
        {"src": "labextension", "dest": "jupyter-image-versions"}
    ]


def test_labextension_is_installed_enabled_and_ok() -> None:
    listing = _jupyter("labextension", "list")
    line = next((x for x in listing.splitlines() if "jupyter-image-versions" in x), None)
    assert line is not None, listing
    assert re.search(rf"jupyter-image-versions v{re.escape(__version__)} enabled\s+OK", line), line


def test_server_extension_is_enabled_and_ok() -> None:
    listing = _jupyter("server", "extension", "list")
    assert re.search(r"jupyter_image_versions\s+enabled", listing), listing
    assert re.search(rf"jupyter_image_versions {re.escape(__version__)}\s+OK", listing), listing


def test_client_pattern_hints_are_the_servers_words() -> None:
    """validation.ts keeps the server's hint wording (only the words; rules come from OpenAPI)."""
    source = (LABEXTENSION / "src" / "validation.ts").read_text()
    block = re.search(r"PATTERN_HINTS[^{]*\{(.*?)\};", source, re.DOTALL)
    assert block is not None
    hints = dict(re.findall(r"(\w+):\s*\"([^\"]*)\"", block.group(1)))
    # Exactly the mirrored fields; aliases' words serve both the register form and Add alias.
    assert set(hints) == {"image_name", "ml_framework", "programming_lang", "aliases"}
    for field, words in hints.items():
        assert PATTERN_HINTS[field] == words, field


@pytest.mark.parametrize("needle", ["dangerouslySetInnerHTML", "innerHTML", "outerHTML"])
def test_sidebar_never_renders_html_strings(needle: str) -> None:
    """Server strings reach the DOM only as React text; no raw HTML sink exists in the source."""
    sources = [
        *LABEXTENSION.joinpath("src").rglob("*.ts"),
        *LABEXTENSION.joinpath("src").rglob("*.tsx"),
    ]
    assert sources
    offenders = [str(p) for p in sources if needle in p.read_text()]
    assert offenders == []
