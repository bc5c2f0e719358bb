"""The history plan's call counts, the describe cache, throttling and the rate-limit fault."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from jupyter_image_versions import ImageVersions, Throttled
from jupyter_image_versions.core.describe_cache import DescribeCache
from jupyter_image_versions.local.rate_limit import RateLimit

from .conftest import ROLE

N = 300


def record(service: ImageVersions) -> list[tuple[float, str, dict]]:
    """Every SageMaker call the service's client makes from now on: (time, operation, params)."""
    calls: list[tuple[float, str, dict]] = []

    def hook(params, model, **_):
        calls.append((time.monotonic(), model.name, dict(params)))

    service._sm.meta.events.register("provide-client-params.sagemaker.*", hook)
    return calls


def populate(service: ImageVersions, image: str, versions: int, aliases: dict[str, int]) -> None:
    ep = service.endpoint
    ep.put_ecr_image("bench/repo", "v1")
    base = ep.registry_uri("bench/repo", "v1")
    service.create_image(image, role_arn=ROLE)
    sm = ep.client("sagemaker")
    by_version = {n: a for a, n in aliases.items()}
    for n in range(1, versions + 1):
        extra = {"Aliases": [by_version[n]]} if n in by_version else {}
        sm.create_image_version(
            ImageName=image, BaseImage=base, ClientToken=f"t-{n}", ReleaseNotes=f"r{n}", **extra
        )


def count(calls, operation: str, **match) -> int:
    return sum(
        1
        for _, op, params in calls
        if op == operation and all(params.get(k) == v for k, v in match.items())
    )


def describes_of_versions(calls) -> int:
    return sum(1 for _, op, p in calls if op == "DescribeImageVersion" and "Version" in p)


@pytest.fixture
def big(tmp_path):
    """A 300-version image with 4 aliases on a local endpoint in a file (shared by processes)."""
    db = str(tmp_path / "endpoint.sqlite")
    service = ImageVersions.local(db, create_delay=0)
    populate(service, "big", N, {"latest": 300, "1.0.0": 1, "2.0.0": 150, "stable": 299})
    yield service, db
    service.close()


def test_history_lists_pages_and_resolves_each_alias_once(big):
    service, _ = big
    calls = record(service)
    history = service.history("big")
    assert [v.version for v in history] == list(range(N, 0, -1))
    assert history[0].aliases == ("latest",) and history[1].aliases == ("stable",)
    assert history[150].aliases == ("2.0.0",) and history[-1].aliases == ("1.0.0",)
    lists = [p for _, op, p in calls if op == "ListImageVersions"]
    assert [p.get("NextToken") is None for p in lists] == [True, False, False]
    assert all(p["MaxResults"] == 100 and p["SortOrder"] == "DESCENDING" for p in lists)
    assert count(calls, "ListAliases", ImageName="big") == 1
    assert sorted(p["Alias"] for _, op, p in calls if "Alias" in p) == sorted(
        ["latest", "1.0.0", "2.0.0", "stable"]
    )
    assert describes_of_versions(calls) == N


def test_describes_start_while_the_listing_goes_on(big):
    service, _ = big
    service.endpoint.set_faults(latency_ms=30)
    calls = record(service)
    service.history("big")
    list_times = [t for t, op, _ in calls if op == "ListImageVersions"]
    first_describe = min(t for t, op, p in calls if op == "DescribeImageVersion" and "Version" in p)
    alias_list = min(t for t, op, _ in calls if op == "ListAliases")
    assert first_describe < list_times[-1]  # pipelined, not after the whole listing
    assert alias_list < list_times[1]  # aliases beside the listing


def test_warm_refresh_makes_no_describe_and_one_change_makes_one(big):
    service, _ = big
    service.history("big")
    calls = record(service)
    service.history("big")
    assert describes_of_versions(calls) == 0
    assert len(calls) == 3 + 1 + 4  # list pages, ListAliases, one describe per alias
    service.endpoint.client("sagemaker").update_image_version(
        ImageName="big", Version=42, ReleaseNotes="changed"
    )
    calls.clear()
    history = service.history("big")
    assert describes_of_versions(calls) == 1
    assert count(calls, "DescribeImageVersion", Version=42) == 1
    assert history[N - 42].release_notes == "changed"


def test_a_new_process_reads_the_persistent_cache(big):
    service, db = big
    service.history("big")  # fills the file cache
    script = (
        "import json, sys\n"
        "from jupyter_image_versions import ImageVersions\n"
        "iv = ImageVersions.local(sys.argv[1], create_delay=0)\n"
        "history = iv.history('big')\n"
        "print(json.dumps([len(history), iv.endpoint.request_count]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, db], capture_output=True, text=True, check=True, timeout=120
    )
    versions, requests = json.loads(out.stdout)
    assert versions == N
    assert requests == 3 + 1 + 4  # what a warm refresh costs: no describe of a version


def test_first_page_in_a_fresh_service(big):
    _, db = big
    fresh = ImageVersions.local(db, create_delay=0, describe_cache=False)
    calls = record(fresh)
    page = fresh.history("big", limit=50)
    assert [v.version for v in page] == list(range(N, N - 50, -1))
    assert count(calls, "ListImageVersions") == 1
    assert count(calls, "ListAliases") == 1
    assert describes_of_versions(calls) == 50
    fresh.close()


def test_describe_cache_off_and_on_by_setting(big, monkeypatch):
    _, db = big
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_DESCRIBE_CACHE", "off")
    off = ImageVersions.local(db, create_delay=0)
    assert off._describe_cache.path is None
    off.close()


def test_corrupt_cache_file_is_rebuilt_and_bad_entries_never_served(big, tmp_path):
    service, _ = big
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = DescribeCache(str(path), scope="s|")
    version = service.history("big", limit=1)[0]
    key = (version.arn, version.modified.isoformat(), version.status)
    cache.put_many({key: version})
    cache.clear_memory()
    assert cache.get_many([key])[key].release_notes == version.release_notes
    cache._conn.execute("UPDATE versions SET value='{broken'")
    cache.clear_memory()
    assert cache.get_many([key]) == {}  # not served, and deleted
    assert cache._conn.execute("SELECT count(*) FROM versions").fetchone() == (0,)
    cache.close()


def test_cache_file_is_bounded(big, tmp_path):
    service, _ = big
    cache = DescribeCache(str(tmp_path / "small.sqlite"), file_entries=10)
    versions = service.history("big", limit=30)
    cache.put_many({(v.arn, str(v.modified), v.status): v for v in versions})
    assert cache._conn.execute("SELECT count(*) FROM versions").fetchone() == (10,)
    cache.close()


def test_throttled_call_gives_up_within_the_bound_and_says_so(iv, pushed, image):
    iv.gate.timeout = 1.0
    heard = []
    iv.gate.add_listener(lambda op, attempt, waited: heard.append((op, attempt)))
    iv.endpoint.set_faults(throttle_rate=1.0)
    start = time.monotonic()
    with pytest.raises(Throttled) as caught:
        iv.history(image)
    assert time.monotonic() - start < 10
    assert "kept throttling" in caught.value.message
    assert ("list_image_versions", 1) in heard  # front ends can show the retries


def test_random_throttling_does_not_collapse_the_pool(big):
    service, _ = big
    service.endpoint.set_faults(throttle_rate=0.2)
    assert len(service.history("big")) == N
    assert service.gate.throttled > 0
    assert service.gate.limit >= service.gate.max_limit // 2


def test_rate_limit_fault_is_a_token_bucket_per_operation():
    now = [0.0]
    bucket = RateLimit(10, burst=2, clock=lambda: now[0])
    assert [bucket.take("A"), bucket.take("A"), bucket.take("A")] == [True, True, False]
    assert bucket.take("B")  # another operation has its own bucket
    now[0] += 0.1  # one token back
    assert [bucket.take("A"), bucket.take("A")] == [True, False]
    with pytest.raises(ValueError, match="rate_limit"):
        RateLimit(0)


def test_rate_limited_endpoint_answers_throttling_exception(iv, pushed, image):
    from botocore.config import Config
    from botocore.exceptions import ClientError

    from jupyter_image_versions.local.handler import Faults

    iv.endpoint.handler.faults = Faults(rate_limit=0.001, burst=2)  # no refill within the test
    sm = iv.endpoint.client("sagemaker", config=Config(retries={"max_attempts": 1}))
    sm.list_aliases(ImageName=image)
    sm.list_aliases(ImageName=image)
    with pytest.raises(ClientError) as caught:
        sm.list_aliases(ImageName=image)
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    sm.describe_image(ImageName=image)  # its own bucket


def test_cli_says_it_retries_while_throttled(tmp_path, monkeypatch):
    """`jupyter image-versions images` on an endpoint throttling half the calls: it says so."""
    from .test_cli import free_port

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    port = free_port()
    cli = [sys.executable, "-m", "jupyter_image_versions.commands.cli"]
    args = ["local-endpoint", "--port", str(port), "--db", str(tmp_path / "e.sqlite")]
    server = subprocess.Popen(
        [*cli, *args, "--rate-limit", "0.1", "--burst", "1"],  # a token per 10 s
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Local SageMaker endpoint" in server.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        first = [*cli, "images", "--endpoint-url", url]
        assert subprocess.run(first, capture_output=True, text=True, timeout=60).returncode == 0
        done = subprocess.run(first, capture_output=True, text=True, timeout=60)  # bucket empty
        assert done.returncode == 0
        assert "list_images: throttled, retrying in" in done.stderr
    finally:
        server.terminate()
        server.wait(10)
    bad = subprocess.run([*cli, "local-endpoint", "--rate-limit", "0"], capture_output=True)
    assert bad.returncode == 2 and b"--rate-limit 0.0 must be above 0" in bad.stderr


def test_a_failed_history_cancels_its_alias_describes(monkeypatch):
    """When a history fails, the alias describes it no longer waits for are not made."""
    import threading

    from jupyter_image_versions.core import history_plan

    service = ImageVersions.local(":memory:", create_delay=0, max_workers=1)
    populate(service, "many", 20, {f"a{n}": n for n in range(1, 21)})
    listed, release, started = threading.Event(), threading.Event(), []
    alias_jobs = history_plan._alias_jobs

    def alias_jobs_then_signal(*args):
        jobs = alias_jobs(*args)
        listed.set()
        return jobs

    def blocking_alias_version(image_name, alias):
        started.append(alias)
        release.wait(30)
        return None

    def pages():
        listed.wait(30)  # the alias describes are queued, the first one running
        raise RuntimeError("the listing failed")
        yield  # pragma: no cover

    service._alias_version = blocking_alias_version
    monkeypatch.setattr(history_plan, "_alias_jobs", alias_jobs_then_signal)
    try:
        with pytest.raises(RuntimeError, match="listing failed"):
            history_plan.fetch(service, "many", pages())
    finally:
        release.set()
    service._pool().submit(lambda: None).result(30)  # one worker: everything before it is done
    assert len(started) <= 1  # at most the one already running; the others were cancelled
    service.close()
