"""The history route: one upstream fetch for identical requests in flight, ETag and 304."""

from __future__ import annotations

import asyncio

from . import test_server_api as server_api

# the server fixtures of test_server_api (a local backend in a tmp dir, a seeded image)
iv_backend = server_api.iv_backend
_restore_backend_env = server_api._restore_backend_env
jp_server_config = server_api.jp_server_config
iv_app = server_api.iv_app
api = server_api.api
seeded = server_api.seeded

pytest_plugins = ["pytest_jupyter.jupyter_server"]


async def test_history_etag_and_not_modified(api, seeded, iv_app):
    status, data, response = await api("GET", "/images/my-image/versions?limit=2")
    etag = response.headers["ETag"]
    assert status == 200 and etag.startswith('"')
    status, body, again = await api(
        "GET", "/images/my-image/versions?limit=2", headers={"If-None-Match": etag}
    )
    assert (status, body, again.body) == (304, None, b"")
    iv_app.service.update("my-image", 3, release_notes="changed")
    status, data, changed = await api(
        "GET", "/images/my-image/versions?limit=2", headers={"If-None-Match": etag}
    )
    assert status == 200 and changed.headers["ETag"] != etag
    assert data["versions"][0]["release_notes"] == "changed"


async def test_identical_concurrent_history_requests_share_one_fetch(api, seeded, iv_app):
    iv_app.service.endpoint.set_faults(latency_ms=100)  # keep the first fetch in flight
    calls = iv_app.service.endpoint.request_count
    started = iv_app.shared_fetches.started
    answers = await asyncio.gather(
        *(api("GET", "/images/my-image/versions?limit=3") for _ in range(8))
    )
    assert {a[0] for a in answers} == {200}
    assert len({a[2].headers["ETag"] for a in answers}) == 1
    assert iv_app.shared_fetches.started - started == 1
    # one page: ListImageVersions, ListAliases, two alias describes; three version describes
    assert iv_app.service.endpoint.request_count - calls <= 1 + 1 + 2 + 3
