"""The contents in every front end (CLI, the magic, GET /contents) on the demo's real images."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from IPython.core.interactiveshell import InteractiveShell

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.commands import cli
from jupyter_image_versions.commands.demo_data import DEMO_IMAGE, seed
from jupyter_image_versions.core.backend import LOCAL_DB_ENV, LOCAL_DELAY_ENV
from jupyter_image_versions.local.image_push import Entry, ImageSpec, Layer, push_image
from jupyter_image_versions.local.sample_images import base_layer, studio_config

from .server_helpers import check_against_openapi, local_server_config

pytest_plugins = ["pytest_jupyter.jupyter_server"]

SHAPE = {"digest", "os", "architecture", "python", "packages", "cuda", "size", "layers"}
SHAPE |= {"bytes_read", "cached"}
LOCAL = ("--backend", "local")


@pytest.fixture
def demo(tmp_path, monkeypatch):
    db = str(tmp_path / "local.sqlite")
    monkeypatch.setenv(LOCAL_DB_ENV, db)
    monkeypatch.setenv(LOCAL_DELAY_ENV, "0")
    service = ImageVersions.local(db, create_delay=0.0)
    seed(service)
    yield service
    service.close()


def pypi(service, target):
    return {p.name: p.version for p in service.contents(target).packages_of("pypi")}


def test_demo_versions_differ_as_real_ones_do(demo):
    one, two, five = (pypi(demo, f"{DEMO_IMAGE}:{n}") for n in (1, 2, 5))
    assert (one["torch"], two["torch"], five["torch"]) == ("2.1.2", "2.2.1", "2.3.0")
    assert (two["numpy"], five["numpy"]) == ("1.26.4", "2.0.0")
    assert "lightning" in five and "lightning" not in two
    assert "tensorboard" in two and "tensorboard" not in five
    assert len(five) >= 30 and {"jupyterlab", "ipykernel", "pandas"} <= set(five)
    gpu, cpu = demo.contents(f"{DEMO_IMAGE}:5"), demo.contents(f"{DEMO_IMAGE}@2.3.0-cpu")
    assert gpu.cuda == "12.1.1" and cpu.cuda is None
    assert gpu.os.id == "ubuntu" and gpu.default_python.version == "3.11.9"
    assert {p.name for p in gpu.packages_of("conda")} >= {"python", "pip"}
    assert {p.name for p in gpu.packages_of("deb")} >= {"libc6", "bash"}
    shared = set(gpu.layer_digests) & set(demo.contents(f"{DEMO_IMAGE}:2").layer_digests)
    assert len(shared) == 3  # os, CUDA 12.1 and conda layers: only the framework layer differs


@pytest.mark.parametrize("version", [1, 2, 4, 5])
def test_every_demo_version_passes_the_image_check_for_jupyterlab(demo, version):
    base = demo.get(DEMO_IMAGE, version=version).base_image
    for app_type in ("JupyterLab", "KernelGateway"):
        report = demo.doctor(base, app_type)
        assert report.ok, [f.to_dict() for f in report.findings if f.severity == "error"]


def test_cli_text_json_and_usage(demo, capsys):
    assert cli.main(["contents", f"{DEMO_IMAGE}:5", "--filter", "TORCH", *LOCAL]) == 0
    out = capsys.readouterr().out
    assert "Ubuntu 22.04.4 LTS" in out and "CUDA: 12.1.1" in out and "(default)" in out
    assert "torchvision" in out and "numpy" not in out
    assert cli.main(["contents", f"{DEMO_IMAGE}:5", "--ecosystem", "conda", "--json", *LOCAL]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= SHAPE and {p["ecosystem"] for p in data["packages"]} == {"conda"}
    assert data["cached"] is True and data["bytes_read"] == 0  # the first call filled the cache
    assert cli.main(["contents", f"{DEMO_IMAGE}:5", "--ecosystem", "rpm", *LOCAL]) == 2
    assert "--ecosystem" in capsys.readouterr().err
    assert cli.main(["contents", "not an image", *LOCAL]) == 1
    assert "must be an ECR URI" in capsys.readouterr().err


def test_magic_contents_html_is_escaped(demo):
    ecr = demo.endpoint.client("ecr")
    meta = b"Name: <script>alert(1)</script>\nVersion: 1.0\n"
    layer = Layer([Entry("usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA", meta)])
    push_image(ecr, "team/evil", "t", ImageSpec([base_layer(), layer], config=studio_config()))
    ecr.close()
    uri = demo.endpoint.registry_uri("team/evil", "t")
    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {demo.endpoint.path!r}")
    try:
        result = shell.run_line_magic("imageversion", f"contents {uri}")
        html = result._repr_html_()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
        assert "pypi" in html
        data = shell.run_line_magic("imageversion", f"contents {DEMO_IMAGE}:1 --json")
        assert data["cuda"] == "11.8.0"
    finally:
        shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")


@pytest.fixture
def jp_server_config(tmp_path):
    yield from local_server_config(tmp_path)


async def test_rest_contents(jp_fetch, jp_serverapp):
    seed(jp_serverapp.web_app.settings["image_versions_app"].service)

    async def call(query):
        path = "/contents?" + urlencode(query)
        response = await jp_fetch(
            "image-versions/api/contents", params=list(query.items()), raise_error=False
        )
        return response.code, check_against_openapi(
            "GET", path, response.code, response.body, response.headers
        )

    status, data = await call({"image": f"{DEMO_IMAGE}@latest", "ecosystem": "pypi"})
    assert status == 200 and {p["ecosystem"] for p in data["packages"]} == {"pypi"}
    assert "torch" in {p["name"] for p in data["packages"]} and data["cuda"] == "12.1.1"
    status, data = await call({"image": f"{DEMO_IMAGE}:1", "filter": "numpy"})
    assert status == 200 and [p["version"] for p in data["packages"]] == ["1.26.2"]
    status, data = await call({"image": "docker.io/x", "ecosystem": "rpm", "filter": "x" * 201})
    assert status == 400 and set(data["problems"]) == {"image", "ecosystem", "filter"}
    status, data = await call({})
    assert status == 400 and "image" in data["problems"]
    status, data = await call({"image": f"{DEMO_IMAGE}:99"})
    assert status == 404
