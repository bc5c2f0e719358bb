"""diff, find, sbom, notes and register --notes-from-diff in every front end (CLI, the magic,
REST) on the demo's real images in the local endpoint."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from IPython.core.interactiveshell import InteractiveShell

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.commands import cli
from jupyter_image_versions.commands.demo_data import DEMO_IMAGE, seed
from jupyter_image_versions.contents.notes import release_notes_limit
from jupyter_image_versions.core.backend import LOCAL_DB_ENV, LOCAL_DELAY_ENV
from jupyter_image_versions.local.image_push import Entry, ImageSpec, Layer, push_image
from jupyter_image_versions.local.sample_images import base_layer, studio_config

from .server_helpers import check_against_openapi, local_server_config

pytest_plugins = ["pytest_jupyter.jupyter_server"]

LOCAL = ("--backend", "local")
DIFF_SHAPE = {"a", "b", "added", "removed", "changed", "os", "python", "cuda", "size"}
DIFF_SHAPE |= {"layers_shared", "bytes_read"}


@pytest.fixture
def demo(tmp_path, monkeypatch):
    db = str(tmp_path / "local.sqlite")
    monkeypatch.setenv(LOCAL_DB_ENV, db)
    monkeypatch.setenv(LOCAL_DELAY_ENV, "0")
    service = ImageVersions.local(db, create_delay=0.0)
    seed(service)
    yield service
    service.close()


def gpu_23(service) -> str:
    return service.get(DEMO_IMAGE, version=5).base_image


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main([*argv, *LOCAL])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_diff_text_json_and_errors(demo, capsys):
    status, out, _ = run(capsys, "diff", f"{DEMO_IMAGE}:2", f"{DEMO_IMAGE}@latest")
    assert status == 0
    assert f"{DEMO_IMAGE}:2 → {DEMO_IMAGE}@latest" in out
    assert "torch" in out and "2.2.1" in out and "2.3.0" in out and "lightning" in out
    assert out.index("Changed") < out.index("Added") < out.index("Removed")
    status, out, _ = run(capsys, "diff", f"{DEMO_IMAGE}:1", f"{DEMO_IMAGE}:5", "--json")
    data = json.loads(out)
    assert status == 0 and set(data) >= DIFF_SHAPE
    assert data["changed"][0]["name"] == "torch" and data["changed"][0]["kind"] == "minor"
    assert data["cuda"] == {"from": "11.8.0", "to": "12.1.1", "kind": "major"}
    assert data["layers_shared"] >= 1
    status, _, err = run(capsys, "diff", f"{DEMO_IMAGE}:2", "docker.io/library/python")
    assert status == 1 and "must be an ECR URI" in err


def test_diff_reads_the_layers_two_versions_share_once(demo, tmp_path, monkeypatch):
    def cold_service(name: str) -> ImageVersions:
        monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LAYER_CACHE", str(tmp_path / name))
        return ImageVersions.local(demo.endpoint.path, create_delay=0.0)

    alone = cold_service("alone.sqlite")
    two = alone.contents(f"{DEMO_IMAGE}:2").bytes_read
    five = alone.contents(f"{DEMO_IMAGE}:5").bytes_read  # its own layer only: 3 are shared
    alone.close()
    assert 0 < five < two
    both = cold_service("both.sqlite")
    try:
        diff = both.diff(f"{DEMO_IMAGE}:2", f"{DEMO_IMAGE}:5")
        assert diff.layers_shared == 3 and diff.bytes_read == two + five
        assert both.diff(f"{DEMO_IMAGE}:2", f"{DEMO_IMAGE}:5").bytes_read == 0  # cached
    finally:
        both.close()


def test_cli_find_lists_matching_versions(demo, capsys):
    status, out, _ = run(capsys, "find", DEMO_IMAGE, "torch>=2.2", "numpy<2")
    assert status == 0
    assert f"{DEMO_IMAGE}: 1 of 4 versions meet torch>=2.2 numpy<2" in out
    assert "  2 (2.2.0) CREATED: torch 2.2.1, numpy 1.26.4" in out
    status, out, _ = run(capsys, "find", DEMO_IMAGE, "torch>=2.3", "deb:libc6>=2.35", "--json")
    found = json.loads(out)
    assert status == 0 and [v["version"] for v in found] == [5, 4]  # newest first
    assert set(found[0]) == {"version", "status", "aliases", "matches"}
    assert found[0]["aliases"] == ["2.3.0", "latest"]
    assert {(p["ecosystem"], p["name"]) for p in found[0]["matches"]} == {
        ("pypi", "torch"),
        ("deb", "libc6"),
    }
    status, _, err = run(capsys, "find", DEMO_IMAGE, "torch>>2")
    assert status == 1 and "REQUIREMENT: 'torch>>2' is not a valid requirement" in err
    status, _, err = run(capsys, "find", DEMO_IMAGE)
    assert status == 2 and "REQUIREMENT" in err


def test_find_reports_a_version_it_cannot_read(demo, capsys):
    demo.endpoint.put_ecr_image("team/no-blobs", "1")  # a manifest whose blobs are not there
    uri = demo.endpoint.registry_uri("team/no-blobs", "1")
    demo.register(ImageVersionSpec(DEMO_IMAGE, uri))
    result = demo.find(DEMO_IMAGE, ["torch"])
    assert [v["version"] for v in result.matches] == [5, 4, 2, 1]
    assert [u["version"] for u in result.unread] == [6] and result.unread[0]["error"]
    status, out, _ = run(capsys, "find", DEMO_IMAGE, "torch")
    assert status == 0 and "  6: not read: " in out


def test_find_reads_what_a_version_holds_after_its_tag_moved(demo):
    ecr = demo.endpoint.client("ecr")
    push_image(
        ecr, "ml-platform/pytorch", "2.3-gpu", ImageSpec([base_layer()], config=studio_config())
    )
    ecr.close()
    assert demo.contents(gpu_23(demo)).packages_of("pypi") == []  # the tag holds no torch now
    result = demo.find(DEMO_IMAGE, ["torch>=2.3"])  # version 5's ContainerImage, by digest
    assert [v["version"] for v in result.matches] == [5, 4] and result.unread == []
    assert "torch" in {p.name for p in demo.contents(f"{DEMO_IMAGE}:5").packages}  # resolve_target
    diff = demo.diff(f"{DEMO_IMAGE}:5", gpu_23(demo))
    assert "torch" in {p.name for p in diff.removed}


def test_cli_sbom_to_a_file_and_to_stdout(demo, capsys, tmp_path):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    path = tmp_path / "sbom.json"
    status, out, _ = run(capsys, "sbom", f"{DEMO_IMAGE}@latest", "-o", str(path))
    assert status == 0 and f"to {path}" in out and "components (pypi" in out
    text = path.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    assert bom["metadata"]["component"]["type"] == "container"
    assert all(c["purl"] for c in bom["components"])
    status, out, _ = run(capsys, "sbom", f"{DEMO_IMAGE}:1", "--json")
    assert status == 0 and json.loads(out)["bomFormat"] == "CycloneDX"
    status, _, err = run(capsys, "sbom", f"{DEMO_IMAGE}:1", "-o", str(tmp_path / "no" / "x"))
    assert status == 2 and "--output" in err


def test_cli_notes_drafts_and_suggests_without_registering(demo, capsys):
    before = len(demo.history(DEMO_IMAGE))
    status, out, _ = run(capsys, "notes", DEMO_IMAGE, gpu_23(demo), "--against", "2")
    assert status == 0
    assert "since pytorch-training:2" in out
    assert "  torch 2.2.1 → 2.3.0, numpy 1.26.4 → 2.0.0, +lightning" in out
    assert "--framework 'PyTorch 2.3'" in out and "--lang 'Python 3.11'" in out
    assert "Suggested from the image (not sent)" in out
    assert len(demo.history(DEMO_IMAGE)) == before
    status, out, _ = run(capsys, "notes", DEMO_IMAGE, gpu_23(demo), "--json")
    data = json.loads(out)
    assert data["against"] == 5 and data["notes"].startswith("No changes")  # same image
    assert data["limit"] == release_notes_limit()


def test_cli_register_with_notes_from_diff(demo, capsys):
    base = gpu_23(demo)
    status, out, _ = run(
        capsys, "register", DEMO_IMAGE, base, "--notes-from-diff", "2", "--framework", "PyTorch 2.3"
    )
    assert status == 0, out
    newest = demo.history(DEMO_IMAGE, limit=1)[0]
    assert newest.version == 6 and newest.release_notes.startswith("torch 2.2.1 → 2.3.0")
    assert len(newest.release_notes) <= release_notes_limit()
    assert newest.ml_framework == "PyTorch 2.3" and newest.programming_lang is None  # not sent
    assert f"Release notes drafted from the changes since version 2: {newest.release_notes}" in out
    assert "--lang 'Python 3.11'" in out and "--framework" not in out.split("not sent")[1]
    assert f"To accept: jupyter image-versions update {DEMO_IMAGE}:6 --lang" in out
    status, _, err = run(capsys, "register", DEMO_IMAGE, base, "--notes-from-diff", "--notes", "x")
    assert status == 2 and "--notes or --notes-from-diff" in err
    status, _, err = run(capsys, "register", DEMO_IMAGE, base, "--notes-from-diff", "two")
    assert status == 2 and "--notes-from-diff two" in err
    assert len(demo.history(DEMO_IMAGE)) == 6  # the refused ones registered nothing


def test_magic_views_are_escaped_html(demo):
    ecr = demo.endpoint.client("ecr")
    meta = b"Name: <img src=x onerror=alert(1)>\nVersion: 1.0\n"
    layer = Layer([Entry("usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA", meta)])
    push_image(ecr, "team/evil", "t", ImageSpec([base_layer(), layer], config=studio_config()))
    ecr.close()
    uri = demo.endpoint.registry_uri("team/evil", "t")
    shell = InteractiveShell.instance()
    shell.extension_manager.load_extension("jupyter_image_versions")
    shell.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    shell.run_line_magic("config", f"ImageVersionsMagic.local_db = {demo.endpoint.path!r}")
    try:
        html = shell.run_line_magic("imageversion", f"diff {DEMO_IMAGE}:1 {uri}")._repr_html_()
        assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
        assert "Removed (" in html and "torch" in html
        found = shell.run_line_magic("imageversion", f"find {DEMO_IMAGE} torch<2.2")
        assert "<b>1</b>" in found._repr_html_()
        draft = shell.run_line_magic("imageversion", f"notes {DEMO_IMAGE} {uri} --against 1")
        assert "<blockquote" in draft._repr_html_() and "<img" not in draft._repr_html_()
        data = shell.run_line_magic("imageversion", f"find {DEMO_IMAGE} torch<2.2 --json")
        assert [v["version"] for v in data] == [1]
    finally:
        shell.run_line_magic("config", "ImageVersionsMagic.local_db = None")


@pytest.fixture
def jp_server_config(tmp_path):
    yield from local_server_config(tmp_path)


async def test_rest_routes_and_their_400s(jp_fetch, jp_serverapp):
    service = jp_serverapp.web_app.settings["image_versions_app"].service
    seed(service)
    base = gpu_23(service)

    async def call(route, query):
        path = f"/{route}?" + urlencode(query, doseq=True)
        params = [(k, v) for k, vs in query.items() for v in (vs if isinstance(vs, list) else [vs])]
        response = await jp_fetch(f"image-versions/api/{route}", params=params, raise_error=False)
        return response.code, check_against_openapi(
            "GET", path, response.code, response.body, response.headers
        )

    status, data = await call("diff", {"a": f"{DEMO_IMAGE}:2", "b": f"{DEMO_IMAGE}@latest"})
    assert status == 200 and data["changed"][0]["name"] == "torch"
    assert [p["name"] for p in data["added"]] == ["lightning"]
    status, data = await call("diff", {"a": "nope", "b": ""})
    assert status == 400 and set(data["problems"]) == {"a", "b"}

    query = {"image": DEMO_IMAGE, "requirement": ["torch>=2.3", "conda:python=3.11"]}
    status, data = await call("find", query)
    assert status == 200 and [v["version"] for v in data["versions"]] == [5, 4]
    assert data["checked"] == 4 and data["unread"] == []
    status, data = await call("find", {"image": "bad name!", "requirement": "torch>>"})
    assert status == 400 and set(data["problems"]) == {"image", "requirement"}
    status, data = await call("find", {"image": DEMO_IMAGE})
    assert status == 400 and "at least one requirement" in data["problems"]["requirement"]

    status, data = await call("sbom", {"image": f"{DEMO_IMAGE}:4"})
    assert status == 200 and data["specVersion"] == "1.6"
    assert all(c["purl"] for c in data["components"])
    status, data = await call("sbom", {"image": "x" * 2000})
    assert status == 400 and set(data["problems"]) == {"image"}

    query = {"image": DEMO_IMAGE, "base_image": base, "against": "2"}
    status, data = await call("draft-notes", query)
    assert status == 200 and data["notes"].startswith("torch 2.2.1 → 2.3.0")
    assert data["suggested"]["ml_framework"] == "PyTorch 2.3" and data["against"] == 2
    status, data = await call(
        "draft-notes", {"image": DEMO_IMAGE, "base_image": "x", "against": "0"}
    )
    assert status == 400 and set(data["problems"]) == {"base_image", "against"}
    status, data = await call("draft-notes", {"image": "new-image", "base_image": base})
    assert status == 200 and data["notes"] is None and "no CREATED version" in data["reason"]
    assert data["suggested"]["programming_lang"] == "Python 3.11"
