"""The REST API on a real Jupyter server (pytest-jupyter), every response checked against
/openapi.json: success, 400 with field problems, 404, 409, 429, 503, auth and XSRF."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from urllib.parse import parse_qsl

import pytest
from jsonschema import Draft202012Validator
from tornado.httpclient import AsyncHTTPClient
from traitlets.config import Config

from jupyter_image_versions import ImageVersionSpec
from jupyter_image_versions.core import awsmodel
from jupyter_image_versions.core.backend import BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV

from .conftest import finish_creating
from .server_helpers import OPENAPI, check_against_openapi

pytest_plugins = ["pytest_jupyter.jupyter_server"]

API = "image-versions/api"
ROLE = "arn:aws:iam::000000000000:role/SageMakerImageRole"
REPO = "team/pytorch"


@pytest.fixture
def iv_backend() -> str:
    return "local"


@pytest.fixture
def _restore_backend_env():
    """The extension exports the local backend to os.environ for kernels; undo it after."""
    keys = (BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV)
    saved = {k: os.environ.get(k) for k in keys}
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def jp_server_config(iv_backend, tmp_path, _restore_backend_env):
    iv = {"backend": iv_backend, "max_attempts": 2, "throttle_timeout": 2.0}
    if iv_backend == "local":
        iv |= {"local_db": str(tmp_path / "state.sqlite"), "local_create_delay": 0.2}
    else:
        iv |= {"region": "us-east-1"}
    return Config(
        {
            "ServerApp": {
                "jpserver_extensions": {
                    "jupyter_image_versions": True,
                    "jupyter_server_terminals": False,
                },
                "allow_unauthenticated_access": False,
            },
            "ImageVersionsApp": iv,
        }
    )


@pytest.fixture
def iv_app(jp_serverapp):
    app = jp_serverapp.web_app.settings["image_versions_app"]
    assert jp_serverapp.allow_unauthenticated_access is False
    return app


@pytest.fixture
def api(jp_fetch, iv_app):
    """`await api(method, path, body=..., headers=...)` -> (status, json, response), checked."""

    async def call(method, path, body=None, headers=None, raw_body=None):
        kwargs = {"method": method, "raise_error": False, "headers": headers or {}}
        if raw_body is not None:
            kwargs["body"] = raw_body
        elif body is not None:
            kwargs["body"] = json.dumps(body)
        elif method in ("POST", "PATCH"):
            kwargs["body"] = ""
        route, _, query = path.partition("?")
        params = dict(parse_qsl(query))
        response = await jp_fetch(API + route, params=params, **kwargs)
        data = check_against_openapi(method, path, response.code, response.body, response.headers)
        return response.code, data, response

    return call


@pytest.fixture
def seeded(iv_app):
    """An ECR repository with two tags and 'my-image' with three versions (aliases on 2, 3)."""
    service = iv_app.service
    ep = service.endpoint
    uris = {tag: (ep.put_ecr_image(REPO, tag), ep.registry_uri(REPO, tag))[1] for tag in ("a", "b")}
    service.create_image("my-image", role_arn=ROLE)
    for tag, aliases in (("a", []), ("b", ["1.0.0"]), ("a", ["latest"])):
        spec = ImageVersionSpec("my-image", uris[tag], aliases=aliases, release_notes=tag)
        if tag == "a" and aliases:
            spec.ml_framework = "PyTorch 2.3"  # a different spec: a new version, not a retry
        service.register(spec, wait=True)
    return uris


# -- reading ----------------------------------------------------------------------------------


async def test_context_on_local_backend(api, iv_app, tmp_path):
    status, data, _ = await api("GET", "/context")
    assert status == 200
    assert data["backend"] == "local"
    assert data["account"] == "000000000000"
    assert data["region"] == "us-east-1"
    assert data["local_db"] == str(tmp_path / "state.sqlite")
    assert data["studio"] is None
    # kernels started by this server inherit the same local state
    assert os.environ[BACKEND_ENV] == "local"
    assert os.environ[LOCAL_DB_ENV] == str(tmp_path / "state.sqlite")


async def test_context_shows_studio(api, tmp_path, monkeypatch):
    meta = tmp_path / "resource-metadata.json"
    meta.write_text(
        json.dumps(
            {
                "AppType": "JupyterLab",
                "DomainId": "d-abc123",
                "SpaceName": "team-space",
                "ResourceArn": "arn:aws:sagemaker:eu-west-1:123456789012:app/d-abc123/x/y",
            }
        )
    )
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(meta))
    status, data, _ = await api("GET", "/context")
    assert status == 200
    assert data["studio"]["domain_id"] == "d-abc123"
    assert data["studio"]["space"] == "team-space"
    assert data["studio"]["account"] == "123456789012"


async def test_openapi_document(api, jp_base_url):
    status, data, _ = await api("GET", "/openapi.json")
    assert status == 200
    assert data["openapi"].startswith("3.1")
    assert data["servers"] == [{"url": jp_base_url.rstrip("/") + "/image-versions/api"}]
    for schema in data["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # raises, naming the broken keyword
    assert set(data["paths"]) == set(OPENAPI["paths"])


async def test_images(api, seeded):
    status, data, _ = await api("GET", "/images")
    assert status == 200
    assert [i["name"] for i in data["images"]] == ["my-image"]
    status, data, _ = await api("GET", "/images/my-image")
    assert (status, data["role_arn"]) == (200, ROLE)
    status, data, _ = await api("GET", "/images/no-such-image")
    assert (status, data["code"]) == (404, "ResourceNotFound")
    status, data, _ = await api("GET", "/images/bad_name!")
    assert status == 400
    assert "image_name" in data["problems"]


async def test_create_image(api, jp_base_url):
    body = {"name": "new-image", "role_arn": ROLE, "display_name": "New"}
    status, data, response = await api("POST", "/images", body)
    assert (status, data["name"], data["display_name"]) == (201, "new-image", "New")
    assert response.headers["Location"].endswith("/image-versions/api/images/new-image")
    status, data, _ = await api("POST", "/images", body)
    assert (status, data["code"]) == (409, "ResourceInUse")
    status, data, _ = await api("POST", "/images", {"name": "x", "role_arn": ROLE, "color": 1})
    assert (status, list(data["problems"])) == (400, ["color"])
    status, data, _ = await api("POST", "/images", {"name": "x", "role_arn": "nope"})
    assert (status, list(data["problems"])) == (400, ["role_arn"])
    assert not data["problems"]["role_arn"].startswith("role_arn")
    assert data["message"].startswith("Role ARN ")
    status, data, _ = await api("POST", "/images", {"name": "-x-", "role_arn": ROLE})
    assert (status, list(data["problems"])) == (400, ["name"])


async def test_history_pages_newest_first(api, seeded):
    status, data, _ = await api("GET", "/images/my-image/versions?limit=2")
    assert status == 200
    assert [v["version"] for v in data["versions"]] == [3, 2]
    assert data["versions"][0]["aliases"] == ["latest"]
    assert data["versions"][1]["aliases"] == ["1.0.0"]
    assert data["next"]
    status, data, _ = await api("GET", f"/images/my-image/versions?limit=2&next={data['next']}")
    assert status == 200
    assert [v["version"] for v in data["versions"]] == [1]
    assert data["next"] is None
    status, data, _ = await api("GET", "/images/my-image/versions")
    assert [v["version"] for v in data["versions"]] == [3, 2, 1]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=%C2%B3", "limit"),  # '³': str.isdigit() says yes, int() says no
        ("next=" + "x" * 2049, "next"),
    ],
)
async def test_history_bad_query(api, seeded, query, field):
    status, data, _ = await api("GET", f"/images/my-image/versions?{query}")
    assert status == 400
    assert list(data["problems"]) == [field]
    # Keyed by the field; said in words, without the API key (core/labels.py).
    assert field not in data["problems"][field]


async def test_history_not_found_and_bad_name(api):
    status, data, _ = await api("GET", "/images/nothing-here/versions")
    assert status == 404
    status, data, _ = await api("GET", "/images/-bad-/versions")
    assert status == 400
    # Keyed by field; the message itself names the value, not the API field.
    assert data["problems"]["image_name"].startswith("'-bad-' must be")


async def test_one_version_and_aliases(api, seeded):
    status, data, _ = await api("GET", "/images/my-image/versions/2")
    assert (status, data["version"], data["aliases"], data["status"]) == (
        200,
        2,
        ["1.0.0"],
        "CREATED",
    )
    for bad in ("0", "two", "-1"):
        status, data, _ = await api("GET", f"/images/my-image/versions/{bad}")
        assert status == 400, bad
        assert "version" in data["problems"]
    status, data, _ = await api("GET", "/images/my-image/versions/99")
    assert status == 404
    status, data, _ = await api("GET", "/images/my-image/aliases")
    assert (status, data) == (200, {"1.0.0": 2, "latest": 3})


# -- registering ------------------------------------------------------------------------------


async def test_register_answers_202_creating(api, iv_app, seeded, jp_base_url):
    endpoint = iv_app.service.endpoint
    endpoint.create_delay = 3  # the 202 says CREATING even on a loaded machine
    body = {"base_image": seeded["b"], "aliases": ["2.0.0"], "ml_framework": "PyTorch 2.4"}
    status, data, response = await api("POST", "/images/my-image/versions", body)
    assert status == 202
    assert (data["version"], data["status"], data["aliases"]) == (4, "CREATING", ["2.0.0"])
    location = response.headers["Location"]
    assert location == f"{jp_base_url.rstrip('/')}/image-versions/api/images/my-image/versions/4"
    finish_creating(endpoint)  # no need to wait the 3 s
    deadline = time.monotonic() + 10
    while True:
        status, data, _ = await api("GET", "/images/my-image/versions/4")
        if data.get("status") != "CREATING" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    assert (status, data["status"]) == (200, "CREATED")


async def test_register_with_create_image(api, seeded):
    body = {"base_image": seeded["a"], "create_image": True, "role_arn": ROLE}
    status, data, _ = await api("POST", "/images/brand-new/versions", body)
    assert (status, data["version"], data["image_name"]) == (202, 1, "brand-new")
    status, data, _ = await api("POST", "/images/other-new/versions", {**body, "role_arn": None})
    assert (status, list(data["problems"])) == (400, ["role_arn"])


async def test_register_field_problems_match_the_spec(api, seeded):
    body = {
        "base_image": "docker.io/library/python:3",
        "ml_framework": "pytorch",
        "processor": "TPU",
    }
    status, data, _ = await api("POST", "/images/my-image/versions", body)
    assert status == 400
    expected = ImageVersionSpec.from_dict({"image_name": "my-image", **body}).problems()
    assert data["problems"] == expected
    assert set(expected) == {"base_image", "ml_framework", "processor"}
    assert data["code"] == "ValidationError"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("{not json", "body"),
        ("[1, 2]", "body"),
        (json.dumps({"base_image": "x", "colour": "red"}), "colour"),
        (json.dumps({"aliases": ["a"]}), "base_image"),
        (json.dumps({"base_image": "x", "create_image": "yes"}), "create_image"),
        (json.dumps({"image_name": "other", "base_image": "x"}), "image_name"),
    ],
)
async def test_register_bad_bodies(api, seeded, raw, field):
    status, data, _ = await api("POST", "/images/my-image/versions", raw_body=raw)
    assert status == 400
    assert field in data["problems"], data


async def test_register_on_missing_image_is_404(api, seeded):
    status, data, _ = await api("POST", "/images/missing/versions", {"base_image": seeded["a"]})
    assert (status, data["code"]) == (404, "ResourceNotFound")


# -- changing ---------------------------------------------------------------------------------


async def test_patch_aliases_move_and_metadata(api, seeded):
    body = {
        "aliases_to_add": ["1.0.1"],
        "move_aliases": ["latest"],
        "vendor_guidance": "TO_BE_ARCHIVED",
        "release_notes": "patched",
    }
    status, data, _ = await api("PATCH", "/images/my-image/versions/2", body)
    assert status == 200
    assert data["aliases"] == ["1.0.0", "1.0.1", "latest"]
    assert (data["vendor_guidance"], data["release_notes"]) == ("TO_BE_ARCHIVED", "patched")
    status, data, _ = await api("GET", "/images/my-image/aliases")
    assert data == {"1.0.0": 2, "1.0.1": 2, "latest": 2}
    status, data, _ = await api(
        "PATCH", "/images/my-image/versions/2", {"aliases_to_delete": ["1.0.1"]}
    )
    assert (status, data["aliases"]) == (200, ["1.0.0", "latest"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({}, "body"),
        ({"ml_framework": "pytorch"}, "ml_framework"),
        ({"horovod": "yes"}, "horovod"),
        ({"aliases_to_add": "latest"}, "aliases_to_add"),
        ({"aliases_to_add": [".bad"]}, "aliases_to_add"),
        ({"move_aliases": ["x"], "aliases_to_delete": ["x"]}, "move_aliases"),
        ({"aliases_to_delete": ["not-there"]}, "aliases_to_delete"),
    ],
)
async def test_patch_bad_bodies_change_nothing(api, seeded, body, field):
    before = (await api("GET", "/images/my-image/versions/2"))[1]
    status, data, _ = await api("PATCH", "/images/my-image/versions/2", body)
    assert status == 400
    assert field in data["problems"], data
    assert (await api("GET", "/images/my-image/versions/2"))[1] == before


async def test_version_path_takes_ascii_digits_only(api, seeded):
    for raw in ("%C2%B2", "0", "1.5", "9" * 10):
        status, data, _ = await api("GET", f"/images/my-image/versions/{raw}")
        assert status == 400, raw
        assert list(data["problems"]) == ["version"]


async def test_patch_refused_after_a_move_changes_nothing(api, seeded):
    # 'latest' moves from 3 to 1 first; then adding '1.0.0' (held by 2) is refused by AWS.
    body = {"move_aliases": ["latest"], "aliases_to_add": ["1.0.0"]}
    status, data, _ = await api("PATCH", "/images/my-image/versions/1", body)
    assert status == 400
    assert "1.0.0" in data["message"]
    status, data, _ = await api("GET", "/images/my-image/aliases")
    assert data == {"1.0.0": 2, "latest": 3}


async def test_patch_missing_version_is_404(api, seeded):
    status, _, _ = await api("PATCH", "/images/my-image/versions/42", {"release_notes": "x"})
    assert status == 404


async def test_delete_answers_202_deleting_then_the_version_is_gone(api, iv_app, seeded):
    endpoint = iv_app.service.endpoint
    endpoint.delete_delay = 30  # the 202 says DELETING even on a loaded machine
    status, data, response = await api("DELETE", "/images/my-image/versions/1")
    assert (status, data["version"], data["status"]) == (202, 1, "DELETING")
    assert response.headers["Location"].endswith("/image-versions/api/images/my-image/versions/1")
    status, data, _ = await api("GET", "/images/my-image/versions/1")
    assert (status, data["status"]) == (200, "DELETING")
    # A second DELETE while it is DELETING is accepted again (AWS would say ResourceInUse).
    status, data, _ = await api("DELETE", "/images/my-image/versions/1")
    assert (status, data["status"]) == (202, "DELETING")
    finish_creating(endpoint)  # as if the 30 s had passed
    status, _, _ = await api("GET", "/images/my-image/versions/1")
    assert status == 404
    status, _, _ = await api("DELETE", "/images/my-image/versions/1")
    assert status == 404
    endpoint.delete_delay = 0  # gone at once: nothing left to poll
    status, data, response = await api("DELETE", "/images/my-image/versions/2")
    assert (status, data, response.body) == (204, None, b"")
    status, data, _ = await api("DELETE", "/images/my-image/versions/x")
    assert (status, list(data["problems"])) == (400, ["version"])


# -- ECR picker -------------------------------------------------------------------------------


async def test_ecr_picker(api, seeded):
    status, data, _ = await api("GET", "/ecr/repositories")
    assert status == 200
    assert [r["name"] for r in data["repositories"]] == [REPO]
    assert data["repositories"][0]["uri"].endswith(f".amazonaws.com/{REPO}")
    status, data, _ = await api("GET", f"/ecr/repositories/{REPO}/images")
    assert status == 200, data
    assert sorted(i["tag"] for i in data["images"]) == ["a", "b"]
    assert {i["uri"] for i in data["images"]} == {seeded["a"], seeded["b"]}
    status, data, _ = await api("GET", "/ecr/repositories/team/other/images")
    assert status == 404
    status, data, _ = await api("GET", "/ecr/repositories/Team_UPPER/images")
    assert (status, list(data["problems"])) == (400, ["repository"])


# -- AWS trouble ------------------------------------------------------------------------------


async def test_throttling_is_429(api, iv_app, seeded):
    iv_app.service.endpoint.set_faults(throttle_rate=1.0)
    started = time.monotonic()
    status, data, _ = await api("GET", "/images/my-image/versions")
    assert (status, data["code"]) == (429, "ThrottlingException")
    assert "throttling" in data["message"]
    status, _, _ = await api("GET", "/images")
    assert status == 429
    assert time.monotonic() - started < 15
    iv_app.service.endpoint.set_faults(throttle_rate=0.0)


@pytest.mark.parametrize("iv_backend", ["aws"])
async def test_no_credentials_is_503(api, iv_app):
    assert iv_app.service.backend == "aws"
    for path in ("/context", "/images", "/images/x/versions", "/ecr/repositories"):
        status, data, _ = await api("GET", path)
        assert (status, data["code"]) == (503, "NoCredentials"), path
        assert "credentials" in data["message"].lower()
        assert "JUPYTER_IMAGE_VERSIONS_BACKEND=local" in data["message"]
    status, data, _ = await api("GET", "/images/bad_name!/versions")
    assert status == 400  # input is checked before AWS is asked


# -- auth -------------------------------------------------------------------------------------

EVERY_ROUTE = [
    ("GET", "/context"),
    ("GET", "/openapi.json"),
    ("GET", "/images"),
    ("POST", "/images"),
    ("GET", "/images/my-image"),
    ("GET", "/images/my-image/versions"),
    ("POST", "/images/my-image/versions"),
    ("GET", "/images/my-image/versions/1"),
    ("PATCH", "/images/my-image/versions/1"),
    ("DELETE", "/images/my-image/versions/1"),
    ("GET", "/images/my-image/aliases"),
    ("GET", "/images/my-image/export"),
    ("GET", "/ecr/repositories"),
    ("GET", f"/ecr/repositories/{REPO}/images"),
    ("POST", "/studio/attach"),
    ("POST", "/studio/detach"),
    ("GET", "/studio/domains"),
    ("GET", "/doctor"),
    ("GET", "/contents"),
    ("GET", "/diff"),
    ("GET", "/find"),
    ("GET", "/sbom"),
    ("GET", "/draft-notes"),
    ("POST", "/derive"),
    ("GET", "/derive/" + "0" * 32),
]


def test_extension_points_import_no_aws_sdk():
    code = (
        "import sys, jupyter_image_versions as j; points = j._jupyter_server_extension_points(); "
        "assert points[0]['app'].name == 'jupyter_image_versions'; "
        "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_route_is_in_the_auth_list():
    documented = {
        (method.upper(), template) for template, item in OPENAPI["paths"].items() for method in item
    }
    from .server_helpers import operation_of

    covered = {(m, operation_of(m, p)[0]) for m, p in EVERY_ROUTE}
    assert covered == documented


async def test_no_token_is_403_on_every_route(api, seeded, iv_app):
    calls = iv_app.service.endpoint.request_count
    for method, path in EVERY_ROUTE:
        body = {"release_notes": "x"} if method in ("POST", "PATCH") else None
        status, data, _ = await api(method, path, body, headers={"Authorization": ""})
        assert status == 403, (method, path)
        assert data["code"] == "Forbidden"
    assert iv_app.service.endpoint.request_count == calls  # nothing reached the backend


async def test_mutating_request_needs_xsrf(api, jp_fetch, seeded):
    # A token-authenticated GET sets the login cookie, as a browser session would have.
    response = await jp_fetch(API, "context")
    cookies = [c.split(";")[0] for c in response.headers.get_list("Set-Cookie")]
    login = "; ".join(c for c in cookies if not c.startswith("_xsrf"))
    assert login
    body = {"name": "xsrf-image", "role_arn": ROLE}
    status, data, _ = await api(
        "POST", "/images", body, headers={"Authorization": "", "Cookie": login}
    )
    assert status == 403
    assert "xsrf" in data["message"].lower()
    status, _, _ = await api("GET", "/images/xsrf-image")
    assert status == 404  # nothing was created
    with_xsrf = {"Authorization": "", "Cookie": f"{login}; _xsrf=abc123", "X-XSRFToken": "abc123"}
    status, data, _ = await api("POST", "/images", body, headers=with_xsrf)
    assert (status, data["name"]) == (201, "xsrf-image")


@pytest.fixture
def deny_image_versions(jp_server_config):
    jp_server_config.ServerApp.authorizer_class = "tests.test_server_api.DenyImageVersions"


from jupyter_server.auth.authorizer import Authorizer  # noqa: E402


class DenyImageVersions(Authorizer):
    """Allows everything except the image-versions resource."""

    def is_authorized(self, handler, user, action, resource):
        return resource != "image-versions"


async def test_authorizer_is_consulted(deny_image_versions, api):
    status, data, _ = await api("GET", "/context")
    assert status == 403
    assert "not authorized" in data["message"]


# -- the event loop ---------------------------------------------------------------------------


async def test_event_loop_is_not_blocked(
    jp_fetch, iv_app, seeded, jp_http_port, jp_base_url, jp_auth_header
):
    # Our own client: the fixture's allows only 10 requests in flight and would queue the probe.
    client = AsyncHTTPClient(force_instance=True, max_clients=64)
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}{API}"

    async def get(path):
        """(status, json, milliseconds taken, monotonic time answered)."""
        sent = time.monotonic()
        response = await client.fetch(base + path, headers=jp_auth_header, raise_error=False)
        done = time.monotonic()
        return response.code, json.loads(response.body), (done - sent) * 1000, done

    iv_app.service.endpoint.set_faults(latency_ms=200)
    started = time.monotonic()
    pending = asyncio.gather(*(get("/images/my-image/versions?limit=1") for _ in range(20)))
    await asyncio.sleep(0.1)
    status, _, probe_ms, probe_done = await get("/openapi.json")  # no AWS work
    results = await pending
    elapsed_ms = (time.monotonic() - started) * 1000
    iv_app.service.endpoint.set_faults(latency_ms=0)
    client.close()
    fastest_ms = min(ms for _, _, ms, _ in results)
    print(
        f"20 history requests at 200 ms/AWS call: {elapsed_ms:.0f} ms (fastest {fastest_ms:.0f}"
        f" ms); probe {probe_ms:.0f} ms"
    )
    assert status == 200
    assert all(code == 200 and data["versions"][0]["version"] == 3 for code, data, _, _ in results)
    # Serially the 20 would take 20 x 200 ms = 4,000 ms; concurrently well under that.
    assert elapsed_ms < 0.75 * 20 * 200
    # The probe was answered while the burst still waited on AWS, much faster than any of it.
    assert probe_done < max(done for _, _, _, done in results)
    assert fastest_ms >= 200
    assert probe_ms < fastest_ms / 2


# -- Studio: attach a version to a domain -----------------------------------------------------

from jupyter_image_versions.commands.demo_data import DEMO_DOMAIN_ID, seed_domain  # noqa: E402
from jupyter_image_versions.local.protocol import ApiError  # noqa: E402

ATTACH = {"image_name": "my-image", "domain_id": DEMO_DOMAIN_ID, "app_type": "JupyterLab"}


@pytest.fixture
def domain(iv_app, seeded):
    """The demo Studio domain (settings that are not ours) next to 'my-image'."""
    assert seed_domain(iv_app.service)
    return iv_app.service._client("sagemaker")


def _described(sm) -> dict:
    found = sm.describe_domain(DomainId=DEMO_DOMAIN_ID)
    found.pop("ResponseMetadata")
    found.pop("LastModifiedTime")
    found.pop("Status")  # the clock's: Pending for a moment after creation, then InService
    return found


def _others(domain: dict) -> str:
    """The domain with every CustomImages list taken out, as canonical JSON."""
    domain = json.loads(json.dumps(domain, default=str))
    for settings in domain["DefaultUserSettings"].values():
        if isinstance(settings, dict):
            settings.pop("CustomImages", None)
    return json.dumps(domain, sort_keys=True)


async def test_studio_attach_then_detach(api, domain):
    before = _described(domain)
    status, data, _ = await api("POST", "/studio/attach", ATTACH | {"alias": "latest"})
    assert status == 200
    config = "my-image-jupyterlab-config"
    assert (data["version"], data["app_image_config"], data["user_profile"]) == (3, config, None)
    entry = {"ImageName": "my-image", "ImageVersionNumber": 3, "AppImageConfigName": config}
    after = _described(domain)
    assert after["DefaultUserSettings"]["JupyterLabAppSettings"]["CustomImages"] == [entry]
    assert _others(after) == _others(before)  # nothing else changed
    assert domain.describe_app_image_config(AppImageConfigName=config)["AppImageConfigName"]

    # attaching again (another version) updates the one entry
    status, data, _ = await api("POST", "/studio/attach", ATTACH | {"version": 2})
    assert status == 200
    images = _described(domain)["DefaultUserSettings"]["JupyterLabAppSettings"]["CustomImages"]
    assert images == [entry | {"ImageVersionNumber": 2}]
    assert data["custom_images"] == [
        {"image_name": "my-image", "version": 2, "app_image_config": config}
    ]

    status, data, _ = await api("POST", "/studio/detach", ATTACH)
    assert (status, data["custom_images"], data["version"]) == (200, [], None)
    after = _described(domain)
    assert after["DefaultUserSettings"]["JupyterLabAppSettings"]["CustomImages"] == []
    assert _others(after) == _others(before)
    status, data, _ = await api("POST", "/studio/detach", ATTACH)
    assert status == 404
    assert "not attached" in data["message"]


async def test_studio_domains_lists_the_demo_domain(api, iv_app):
    status, data, _ = await api("GET", "/studio/domains")
    assert (status, data) == (200, {"domains": []})
    assert seed_domain(iv_app.service)
    status, data, _ = await api("GET", "/studio/domains")
    assert status == 200
    seen = [data["domains"][0]["status"]]  # a new domain is Pending, then InService
    deadline = time.monotonic() + 10
    while seen[-1] == "Pending" and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        status, data, _ = await api("GET", "/studio/domains")
        seen.append(data["domains"][0]["status"])
    assert set(seen) <= {"Pending", "InService"} and seen[-1] == "InService"
    assert data["domains"] == [
        {"domain_id": DEMO_DOMAIN_ID, "name": "ml-platform-studio", "status": "InService"}
    ]


async def test_studio_attach_kernel_gateway(api, domain):
    body = ATTACH | {"app_type": "KernelGateway", "version": 1, "kernel_name": "py311"}
    body |= {"display_name": "Python 3.11 (my-image)", "uid": 1000, "gid": 100}
    status, data, _ = await api("POST", "/studio/attach", body)
    assert status == 200
    config = domain.describe_app_image_config(AppImageConfigName=data["app_image_config"])
    assert config["KernelGatewayImageConfig"] == {
        "KernelSpecs": [{"Name": "py311", "DisplayName": "Python 3.11 (my-image)"}],
        "FileSystemConfig": {"DefaultUid": 1000, "DefaultGid": 100},
    }
    settings = _described(domain)["DefaultUserSettings"]
    assert [i["ImageName"] for i in settings["KernelGatewayAppSettings"]["CustomImages"]] == [
        "my-image"
    ]
    assert "CustomImages" not in settings["JupyterLabAppSettings"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/studio/attach", ATTACH | {"version": 1, "colour": "red"}, "colour"),
        ("/studio/attach", ATTACH, "version"),
        ("/studio/attach", ATTACH | {"version": 1, "alias": "latest"}, "version"),
        ("/studio/attach", ATTACH | {"version": True}, "version"),
        ("/studio/attach", ATTACH | {"version": "1"}, "version"),
        ("/studio/attach", ATTACH | {"alias": "bad alias!"}, "alias"),
        ("/studio/attach", {**ATTACH, "version": 1, "domain_id": None}, "domain_id"),
        ("/studio/attach", ATTACH | {"version": 1, "domain_id": "D_bad"}, "domain_id"),
        ("/studio/attach", ATTACH | {"version": 1, "domain_id": 7}, "domain_id"),
        ("/studio/attach", ATTACH | {"version": 1, "image_name": "bad_name!"}, "image_name"),
        ("/studio/attach", ATTACH | {"version": 1, "app_type": "RStudio"}, "app_type"),
        ("/studio/attach", ATTACH | {"version": 1, "uid": 70000}, "uid"),
        ("/studio/attach", ATTACH | {"version": 1, "gid": -1}, "gid"),
        ("/studio/attach", ATTACH | {"version": 1, "mount_path": "home"}, "mount_path"),
        ("/studio/attach", ATTACH | {"version": 1, "kernel_name": "py"}, "kernel_name"),
        ("/studio/attach", ATTACH | {"version": 1, "user_profile": "-x"}, "user_profile"),
        ("/studio/detach", ATTACH | {"version": 1}, "version"),
        ("/studio/detach", {"image_name": "my-image", "domain_id": DEMO_DOMAIN_ID}, "app_type"),
        ("/studio/detach", [ATTACH], "body"),
    ],
)
async def test_studio_bad_bodies_change_nothing(api, domain, path, body, field):
    before = _described(domain)
    status, data, _ = await api("POST", path, body)
    assert (status, data["code"]) == (400, "ValidationError"), data
    assert field in data["problems"], data
    assert "_" not in field or field not in data["problems"][field]
    assert _described(domain) == before


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        (ATTACH | {"version": 1, "domain_id": "d-000000000000"}, "d-000000000000"),
        (ATTACH | {"version": 9}, "my-image"),
        (ATTACH | {"alias": "no-such-alias"}, "no-such-alias"),
        (ATTACH | {"version": 1, "image_name": "no-such-image"}, "no-such-image"),
        (ATTACH | {"version": 1, "user_profile": "nobody"}, "nobody"),
    ],
)
async def test_studio_unknown_things_are_404(api, domain, body, mentions):
    status, data, _ = await api("POST", "/studio/attach", body)
    assert status == 404, data
    assert mentions in data["message"]
    unknown_domain = ATTACH | {"domain_id": "d-000000000000"}
    status, data, _ = await api("POST", "/studio/detach", unknown_domain)
    assert status == 404


async def test_studio_attach_while_apps_run_is_409(api, iv_app, domain, monkeypatch):
    """The local endpoint answers UpdateDomain as AWS does while apps are InService."""

    def refuse(params):
        raise ApiError(
            "ValidationException",
            "Unable to update domain because there are InService apps. Delete them and retry.",
        )

    monkeypatch.setattr(iv_app.service.endpoint.handler.studio, "UpdateDomain", refuse)
    before = _described(domain)
    status, data, _ = await api("POST", "/studio/attach", ATTACH | {"version": 1})
    assert (status, data["code"]) == (409, "ResourceInUse"), data
    assert "apps are running" in data["message"]
    assert "Stop (delete) the running JupyterLab apps" in data["message"]
    assert "user-profile level" in data["message"]
    assert _described(domain) == before


async def test_studio_attach_needs_xsrf(api, jp_fetch, domain):
    response = await jp_fetch(API, "context")
    cookies = [c.split(";")[0] for c in response.headers.get_list("Set-Cookie")]
    login = "; ".join(c for c in cookies if not c.startswith("_xsrf"))
    before = _described(domain)
    for path in ("/studio/attach", "/studio/detach"):
        status, data, _ = await api(
            "POST", path, ATTACH | {"version": 1}, headers={"Authorization": "", "Cookie": login}
        )
        assert status == 403
        assert "xsrf" in data["message"].lower()
    assert _described(domain) == before


async def test_openapi_serves_the_alias_rule_from_the_model(api):
    """The sidebar checks aliases (register form and Add alias) by this pattern, not a copy."""
    _, data, _ = await api("GET", "/openapi.json")
    items = data["components"]["schemas"]["RegisterRequest"]["properties"]["aliases"]["items"]
    member = awsmodel.input_shape("sagemaker", "CreateImageVersion", "Aliases").member
    assert items["pattern"] == f"^(?:{member.metadata['pattern']})$"
    rule = re.compile(items["pattern"])
    assert rule.match("2.3.0") and not rule.match("-bad") and not rule.match("my alias")
