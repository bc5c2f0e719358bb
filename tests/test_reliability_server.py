"""The REST API under hostile input: never a 5xx, and every 400 names its field (`body` for a
body that is not usable at all, `next` for a bad page token)."""

from __future__ import annotations

import json

from . import test_server_api as _server
from .server_helpers import OPENAPI

# The REST tests' fixtures: a real server on the local backend, requests checked against
# /openapi.json, and 'my-image' with three versions.
_restore_backend_env = _server._restore_backend_env
iv_backend, jp_server_config = _server.iv_backend, _server.jp_server_config
iv_app, api, seeded = _server.iv_app, _server.api, _server.seeded

pytest_plugins = ["pytest_jupyter.jupyter_server"]

DEEP = "[" * 100_000
BODY_ROUTES = [  # every operation of /openapi.json with a request body
    ("POST", "/images/my-image/versions"),
    ("PATCH", "/images/my-image/versions/1"),
    ("POST", "/images"),
    ("POST", "/studio/attach"),
    ("POST", "/studio/detach"),
    ("POST", "/derive"),
]


def _names_a_field(status: int, data: dict, field: str | None = None) -> None:
    assert status == 400, data
    assert data["problems"], data
    if field is not None:
        assert field in data["problems"], data


async def test_deeply_nested_json_is_400_naming_body(api, seeded):
    for method, path in BODY_ROUTES:
        status, data, _ = await api(method, path, raw_body=DEEP)
        _names_a_field(status, data, "body")


async def test_a_lone_surrogate_anywhere_in_a_body_is_refused(api, seeded):
    raw = '{"release_notes": "x\\ud800", "base_image": "' + seeded["a"] + '"}'
    for method, path in BODY_ROUTES:
        status, data, _ = await api(method, path, raw_body=raw)
        assert status == 400, (path, data)
        assert any("not valid text" in m for m in data["problems"].values()), (path, data)


async def test_register_and_patch_name_the_field_with_invalid_text(api, seeded):
    raw = json.dumps({"base_image": seeded["a"], "ml_framework": "PyTorch 2.3"})
    raw = raw.replace("PyTorch 2.3", "\\udfff")
    status, data, _ = await api("POST", "/images/my-image/versions", raw_body=raw)
    _names_a_field(status, data, "ml_framework")
    status, data, _ = await api(
        "PATCH", "/images/my-image/versions/1", raw_body='{"aliases_to_add": ["\\ud800"]}'
    )
    _names_a_field(status, data, "aliases_to_add")
    assert len(seeded) == 2  # nothing registered on the way: the history is unchanged
    status, data, _ = await api("GET", "/images/my-image/versions")
    assert [v["version"] for v in data["versions"]] == [3, 2, 1]


def test_the_body_routes_are_every_route_with_a_body():
    with_body = {
        (method.upper(), path)
        for path, item in OPENAPI["paths"].items()
        for method, op in item.items()
        if "requestBody" in op
    }
    listed = {
        (m, p.replace("my-image", "{image}").replace("/1", "/{version}")) for m, p in BODY_ROUTES
    }
    assert listed == with_body


async def test_an_invalid_next_token_is_400_naming_next(api, seeded):
    for token in ["garbage", "eyJvIjogLTF9", "%%%", "x" * 2000, "x" * 3000]:
        status, data, _ = await api("GET", f"/images/my-image/versions?next={token}")
        _names_a_field(status, data, "next")


async def test_invalid_utf8_in_the_path_or_query_is_400_naming_it(
    api, seeded, jp_http_port, jp_base_url, jp_auth_header
):
    from tornado.httpclient import AsyncHTTPClient

    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}image-versions/api"
    for path, field in (
        ("/images/my-image/versions?next=%ED%A0%80", "next"),
        ("/images/my-image/versions?limit=%FF", "limit"),
        ("/images/my%FFimage/versions", "image"),
    ):
        response = await AsyncHTTPClient().fetch(
            base + path, headers=jp_auth_header, raise_error=False
        )
        data = json.loads(response.body)
        assert response.code == 400, (path, data)
        assert field in data["problems"], (path, data)


async def test_a_body_tornado_cannot_parse_is_400_naming_body(
    api, seeded, jp_http_port, jp_base_url, jp_auth_header
):
    """A multipart Content-Type without a boundary fails in tornado before our handler runs
    (schemathesis found it): the 400 still names `body`."""
    from tornado.httpclient import AsyncHTTPClient

    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}image-versions/api"
    headers = jp_auth_header | {"Content-Type": "multipart/form-data"}
    for path in ("/images/my-image/versions", "/images/my-image/aliases"):
        response = await AsyncHTTPClient().fetch(base + path, headers=headers, raise_error=False)
        data = json.loads(response.body)
        assert response.code == 400, (path, data)
        assert "multipart" in data["problems"]["body"], (path, data)


async def test_an_alias_another_version_holds_is_400_naming_the_alias_field(api, seeded):
    """AWS refuses it (a ValidationException whose message is all it says): the 400 names the
    field that carried the alias (schemathesis found it naming none)."""
    body = {"base_image": seeded["b"], "aliases": ["latest"], "release_notes": "again"}
    status, data, _ = await api("POST", "/images/my-image/versions", body=body)
    _names_a_field(status, data, "aliases")
    assert "latest" in data["problems"]["aliases"]
    status, data, _ = await api(
        "PATCH", "/images/my-image/versions/1", body={"aliases_to_add": ["latest"]}
    )
    _names_a_field(status, data, "aliases_to_add")
    status, data, _ = await api("GET", "/images/my-image/aliases")
    assert data == {"1.0.0": 2, "latest": 3}  # nothing moved


async def test_an_empty_key_in_a_body_is_named_body(api, seeded):
    status, data, _ = await api("PATCH", "/images/my-image/versions/1", body={"": 1})
    _names_a_field(status, data, "body")
    assert data["problems"]["body"].startswith("'' is not a field")
