"""`%imageversion` in a real notebook: nbclient runs it in a real ipykernel on the local backend."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from jupyter_image_versions import ImageVersions

from .conftest import ROLE

KERNEL = "image-versions-test"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_NOTES = f"<script>alert(1)</script> {XSS_IMG}"
REPO = "team/pytorch"


def write_kernelspec(data_dir: Path) -> str:
    """A kernelspec for this very Python, so no other python3 kernel on the machine is used."""
    spec = data_dir / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": KERNEL, "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    return str(data_dir)


def cell_sources(db: str, uri: str, uri2: str) -> dict[str, str]:
    """Named cells, run in this order."""
    register = (
        f"v = %imageversion register my-image {uri} --framework 'PyTorch 2.3' "
        f"--lang 'Python 3.11' --processor GPU --job-type TRAINING --alias 2.3.0 --alias latest "
        f"--notes {json.dumps(XSS_NOTES)} --guidance STABLE\n"
        "print(type(v).__name__, v.version, v.status, list(v.aliases))"
    )
    return {
        "load": "%load_ext jupyter_image_versions",
        "modules": "import sys\nprint('boto3' in sys.modules, 'botocore' in sys.modules)",
        "config": (
            "%config ImageVersionsMagic.backend = 'local'\n"
            f"%config ImageVersionsMagic.local_db = {db!r}"
        ),
        "images": "%imageversion images",
        "register": register,
        "register2": f"%imageversion register my-image {uri2} --alias 2.4.0 --lang 'Python 3.11'",
        "history": "%imageversion history my-image",
        "history_value": "h = %imageversion history my-image\nprint([x.version for x in h])",
        "alias": "%imageversion alias my-image:2 --move latest --add 2.4.0-gpu",
        "aliases": "%imageversion aliases my-image",
        "guidance": "%imageversion guidance my-image:1 TO_BE_ARCHIVED",
        "delete_no_yes": "%imageversion delete my-image:1",
        "delete": "%imageversion delete my-image:1 --yes --wait",
        "after_delete": "%imageversion show my-image@latest",
        "usage": "%imageversion frobnicate my-image",
        "quotes": "%imageversion history 'my-image",
        "bad_field": f"%imageversion register my-image {uri} --framework pytorch",
        "not_found": "%imageversion show my-image:99",
        "xss_alias": f"%imageversion alias my-image:2 --add '{XSS_IMG}'",
        "help": "%imageversion --help",
        "panel": "p = %imageversion panel my-image\np.wait_idle(20)\np",
        "panel_state": "print(p.image.value, [v.version for v in p.history.versions])",
        "panel_register": (
            f"p.form.base_image.value = {uri!r}\n"
            "p.form.aliases.value = '3.0.0'\n"
            "p.form.register_button.click()\n"
            "print('running in the background:', p.worker.busy)"
        ),
        "panel_done": (
            "p.wait_idle(20)\n"
            "top = p.history.versions[0]\n"
            "print(top.version, top.status, list(top.aliases), 'created' in p.form.progress.value)"
        ),
    }


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    """Seed a local state in this process, then run the notebook against it in a kernel."""
    folder = tmp_path_factory.mktemp("nb")
    db = str(folder / "state.sqlite")
    iv = ImageVersions.local(db, create_delay=0.1)
    iv.endpoint.put_ecr_image(REPO, "2.3-gpu")
    uri = iv.endpoint.registry_uri(REPO, "2.3-gpu")
    iv.endpoint.put_ecr_image(REPO, "2.4-gpu")
    uri2 = iv.endpoint.registry_uri(REPO, "2.4-gpu")
    iv.create_image("my-image", role_arn=ROLE)
    iv.close()

    sources = cell_sources(db, uri, uri2)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src, metadata={"name": n}) for n, src in sources.items()]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "JUPYTER_IMAGE"))}
    env |= {
        "AWS_CONFIG_FILE": str(folder / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "JUPYTER_IMAGE_VERSIONS_LOCAL_CREATE_DELAY": "0.1",
    }
    client = NotebookClient(nb, timeout=120, kernel_name=KERNEL, resources={})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", write_kernelspec(folder / "jupyter"))
        client.execute(cwd=str(folder), env=env)
    cells = {cell.metadata["name"]: cell.outputs for cell in nb.cells}
    return {"cells": cells, "db": db, "uri": uri, "uri2": uri2}


def stream(outputs, name: str) -> str:
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == name)


def html(outputs) -> str:
    return "".join(
        o["data"].get("text/html", "")
        for o in outputs
        if o["output_type"] in ("execute_result", "display_data")
    )


def result_html(outputs) -> str:
    found = [o for o in outputs if o["output_type"] == "execute_result"]
    assert len(found) == 1, outputs
    return found[0]["data"]["text/html"]


def error_line(outputs) -> str:
    text = stream(outputs, "stderr")
    assert text.count("\n") == 1 and text.startswith("%imageversion: error: "), text
    assert not html(outputs) and not stream(outputs, "stdout"), outputs
    return text


def test_load_ext_does_not_import_boto3(notebook):
    cells = notebook["cells"]
    assert cells["load"] == []
    assert stream(cells["modules"], "stdout").strip() == "False False"


def test_no_output_is_a_traceback(notebook):
    for name, outputs in notebook["cells"].items():
        for output in outputs:
            assert output["output_type"] != "error", (name, output)
            assert "Traceback" not in json.dumps(output), (name, output)


def test_images_and_register(notebook):
    cells = notebook["cells"]
    assert "<td>my-image</td>" in result_html(cells["images"])
    assert stream(cells["register"], "stdout").strip() == (
        "ImageVersion 1 CREATED ['2.3.0', 'latest']"
    )
    note = html(cells["register"])
    assert "Registered my-image version 1 (CREATED)." in note
    assert "not SemVer" in note  # 'latest' is allowed with a warning
    shown = result_html(cells["register2"])
    assert "<b>2</b>" in shown and ">2.4.0</span>" in shown


def test_history_table(notebook):
    cells, uri = notebook["cells"], notebook["uri"]
    table = result_html(cells["history"])
    assert "<caption>my-image: 2 versions</caption>" in table
    assert table.index("<b>2</b>") < table.index("<b>1</b>")  # newest first
    assert ">latest</span>" in table and ">2.3.0</span>" in table  # aliases as tags
    assert ">Created</span>" in table and ">Stable</span>" in table
    assert f'title="{uri}"' in table and "…/pytorch:2.3-gpu</code>" in table  # repository:tag
    assert stream(cells["history_value"], "stdout").strip() == "[2, 1]"


def test_magic_html_escapes_user_strings(notebook):
    table = result_html(notebook["cells"]["history"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;" in table
    for outputs in notebook["cells"].values():
        assert "<script" not in html(outputs) and "<img" not in html(outputs)
    # an alias with markup is refused before any request, as plain text on stderr
    refused = error_line(notebook["cells"]["xss_alias"])
    assert "ALIAS: cannot contain a space, as in '<img src=x onerror=alert(1)>'" in refused


def test_alias_guidance_delete(notebook):
    cells = notebook["cells"]
    moved = result_html(cells["alias"])
    assert ">latest</span>" in moved and ">2.4.0-gpu</span>" in moved
    assert "my-image:2 aliases updated." in html(cells["alias"])
    aliases = result_html(cells["aliases"])
    assert aliases.index(">latest</span>") < aliases.index(">2.3.0</span>")
    assert ">To be archived</span>" in result_html(cells["guidance"])

    refused = error_line(cells["delete_no_yes"])
    assert "Delete my-image version 1 (aliases: 2.3.0)?" in refused and "--yes" in refused
    assert "Deleted my-image version 1." in html(cells["delete"])
    # --wait's progress: one output, updated in place (DELETING...), left on its final line
    progress = [
        o["data"]["text/plain"]
        for o in cells["delete"]
        if "jp-image-versions-progress" in o.get("data", {}).get("text/html", "")
    ]
    # no "(0 s)": the time only when it took a second or more
    assert len(progress) == 1
    assert re.fullmatch(r"my-image version 1: gone( \([1-9]\d* s\))?", progress[0])
    assert "DELETING" not in stream(cells["delete"], "stderr")
    returned = [o["data"] for o in cells["delete"] if o["output_type"] == "execute_result"]
    assert returned == [{"text/plain": "1"}]  # the magic returns the deleted version's number
    assert "<b>2</b>" in result_html(cells["after_delete"])

    state = ImageVersions.local(notebook["db"])
    assert [v.version for v in state.history("my-image")] == [3, 2]  # 3: the panel's, below
    assert state.aliases("my-image") == {"latest": 2, "2.4.0": 2, "2.4.0-gpu": 2, "3.0.0": 3}
    state.close()


def test_errors_are_one_line(notebook):
    cells = notebook["cells"]
    assert "unknown command 'frobnicate'" in error_line(cells["usage"])
    assert "No closing quotation" in error_line(cells["quotes"])
    bad = error_line(cells["bad_field"])
    assert "--framework: 'pytorch' must look like 'PyTorch 2.3'" in bad
    assert "Image version my-image:99 does not exist" in error_line(cells["not_found"])


def test_help_and_panel(notebook):
    cells = notebook["cells"]
    helped = stream(cells["help"], "stdout")
    assert helped.startswith("usage: %imageversion")
    for command in ("register", "history", "alias", "guidance", "delete", "panel"):
        assert command in helped
    assert "local-endpoint" not in helped
    widget = [o for o in cells["panel"] if o["output_type"] == "execute_result"]
    assert "application/vnd.jupyter.widget-view+json" in widget[0]["data"]
    assert stream(cells["panel_state"], "stdout").strip() == "my-image [2]"
    # Register returns at once (the kernel is free) and the version is created in the background
    assert stream(cells["panel_register"], "stdout").strip() == "running in the background: True"
    assert stream(cells["panel_done"], "stdout").strip() == "3 CREATED ['3.0.0'] True"
