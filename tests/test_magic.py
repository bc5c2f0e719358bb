"""`%imageversion` in an in-process IPython shell: help, %config, returned objects, prompts."""

from __future__ import annotations

import subprocess
import sys

import pytest
from IPython.core.interactiveshell import InteractiveShell

from jupyter_image_versions import ImageVersion, ImageVersions
from jupyter_image_versions.notebook.magic import ImageVersionsMagic, RenderedList

from .conftest import ROLE


@pytest.fixture
def ip(tmp_path):
    """A shell with the extension loaded, on a fresh local state file."""
    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    db = str(tmp_path / "state.sqlite")
    seed = ImageVersions.local(db, create_delay=0.1)
    seed.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    seed.create_image("my-image", role_arn=ROLE)
    seed.close()
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {db!r}")
    shell.uri = "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/pytorch:2.3-gpu"
    yield shell
    shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")


def magic_of(shell) -> ImageVersionsMagic:
    return shell.magics_manager.registry["ImageVersionsMagic"]


def test_question_mark_shows_the_whole_grammar(ip):
    text = ip.object_inspect_text("%imageversion")
    assert "usage: %imageversion [-h]" in text
    for usage in (
        "usage: %imageversion register",
        "usage: %imageversion alias",
        "usage: %imageversion delete",
        "usage: %imageversion panel",
        "--create-image",
        "--horovod",
        "%config ImageVersionsMagic.region",
    ):
        assert usage in text, usage
    assert "local-endpoint" not in text  # CLI only


def test_config_sets_the_settings(ip):
    magic = magic_of(ip)
    ip.run_line_magic("config", 'ImageVersionsMagic.region = "eu-west-1"')
    ip.run_line_magic("config", 'ImageVersionsMagic.profile = "ml"')
    assert (magic.region, magic.profile, magic.backend) == ("eu-west-1", "ml", "local")
    with pytest.raises(Exception, match="backend"):
        magic.backend = "azure"
    ip.run_line_magic("config", "ImageVersionsMagic.region = None")
    ip.run_line_magic("config", "ImageVersionsMagic.profile = None")


def test_default_backend_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_BACKEND", "local")
    assert ImageVersionsMagic().backend == "local"
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_BACKEND", "aws")
    assert ImageVersionsMagic().backend == "aws"


def test_a_bad_environment_backend_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_BACKEND", "azure")
    magic = ImageVersionsMagic()
    assert magic.imageversion("images") is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "JUPYTER_IMAGE_VERSIONS_BACKEND='azure'" in err


def test_results_are_objects(ip):
    v = ip.run_line_magic("imageversion", f"register my-image {ip.uri} --alias 1.0.0")
    assert isinstance(v, ImageVersion) and (v.version, v.status) == (1, "CREATED")
    history = ip.run_line_magic("imageversion", "history my-image")
    assert isinstance(history, RenderedList) and history == [v]
    assert "<caption>my-image: 1 versions</caption>" in history._repr_html_()
    assert ip.run_line_magic("imageversion", "aliases my-image") == {"1.0.0": 1}
    data = ip.run_line_magic("imageversion", "show my-image:1 --json")
    assert data["aliases"] == ["1.0.0"] and data["status"] == "CREATED"


def test_delete_asks_with_input_when_the_front_end_can(ip, monkeypatch, capsys):
    ip.run_line_magic("imageversion", f"register my-image {ip.uri}")
    answers = iter(["n", "yes"])
    asked = []
    monkeypatch.setattr("builtins.input", lambda q: asked.append(q) or next(answers))
    assert ip.run_line_magic("imageversion", "delete my-image:1") is None
    assert "Nothing deleted." in capsys.readouterr().out
    assert ip.run_line_magic("imageversion", "delete my-image:1 --wait") == 1
    assert asked == ["Delete my-image version 1? [y/N] "] * 2
    assert ip.run_line_magic("imageversion", "history my-image") == []


def test_per_call_options_override_the_config(ip, capsys):
    magic = magic_of(ip)
    local = magic.service_for()
    assert magic.service_for() is local  # cached
    ip.run_line_magic("config", "ImageVersionsMagic.region = 'eu-west-1'")
    assert magic.service_for() is not local  # a setting changed: a new service
    ip.run_line_magic("config", "ImageVersionsMagic.region = None")
    # --backend aws with no credentials: one line saying how to configure them
    assert ip.run_line_magic("imageversion", "images --backend aws --region us-east-1") is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "credentials" in err.lower()


def test_load_ext_in_ipython_does_not_import_boto3():
    code = (
        "ip = get_ipython(); ip.run_line_magic('load_ext', 'jupyter_image_versions'); "
        "import sys; print('LOADED', 'imageversion' in ip.magics_manager.magics['line'], "
        "'boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-m", "IPython", "--quick", "--no-banner", "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "LOADED True False False" in done.stdout, done.stdout + done.stderr
