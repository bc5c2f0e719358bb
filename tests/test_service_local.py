"""The ImageVersions API end to end on the local endpoint (in-process and over HTTP)."""

from __future__ import annotations

import multiprocessing

import pytest

from jupyter_image_versions import (
    Conflict,
    CreateFailed,
    ImageVersions,
    ImageVersionSpec,
    NotFound,
    SpecError,
)
from jupyter_image_versions.local import LocalEndpoint

from .conftest import ROLE, finish_creating, make_spec


def test_register_waits_until_created_and_reads_metadata(iv, pushed, image):
    iv.endpoint.create_delay = 3  # the first poll sees CREATING even on a loaded machine
    seen = []

    def on_status(current):
        seen.append(current.status)
        if current.status == "CREATING":
            finish_creating(iv.endpoint)  # then no need to wait the 3 s

    spec = make_spec(
        pushed["2.3"],
        aliases=["2.3.0", "latest"],
        ml_framework="PyTorch 2.3",
        programming_lang="Python 3.11",
        processor="GPU",
        job_type="TRAINING",
        horovod=True,
        release_notes="first",
        vendor_guidance="STABLE",
    )
    v = iv.register(spec, on_status=on_status)
    assert (v.version, v.status) == (1, "CREATED")
    assert (seen[0], seen[-1]) == ("CREATING", "CREATED")
    assert v.aliases == ("2.3.0", "latest")
    assert (v.ml_framework, v.programming_lang, v.processor) == (
        "PyTorch 2.3",
        "Python 3.11",
        "GPU",
    )
    assert (v.job_type, v.horovod, v.release_notes, v.vendor_guidance) == (
        "TRAINING",
        True,
        "first",
        "STABLE",
    )
    assert v.container_image.split("@")[1].startswith("sha256:")
    assert v.to_dict()["created"].startswith("20")


def test_identical_register_returns_the_same_version(iv, pushed, image):
    spec = make_spec(pushed["2.3"], aliases=["1.0.0"])
    first = iv.register(spec)
    again = iv.register(make_spec(pushed["2.3"], aliases=["1.0.0"]))
    assert again.version == first.version == 1
    assert [v.version for v in iv.history(image)] == [1]


def test_repushed_tag_with_new_content_becomes_a_new_version(iv, pushed, image):
    spec = make_spec(pushed["2.3"])
    assert iv.register(spec).version == 1
    iv.endpoint.put_ecr_image("team/pytorch", "2.3-gpu", manifest='{"schemaVersion": 2, "x": 1}')
    assert iv.register(spec).version == 2


def test_missing_base_image_ends_in_create_failed_with_reason(iv, pushed, image):
    with pytest.raises(CreateFailed) as caught:
        iv.register(make_spec(pushed["missing"]))
    assert "9.9-gpu" in caught.value.reason
    assert caught.value.version.status == "CREATE_FAILED"


def test_invalid_spec_sends_no_request(iv, pushed, image):
    before = iv.endpoint.request_count
    with pytest.raises(SpecError) as caught:
        iv.register(make_spec(pushed["2.3"], ml_framework="pytorch", processor="TPU"))
    assert set(caught.value.problems) == {"ml_framework", "processor"}
    assert iv.endpoint.request_count == before


def test_create_image_on_register_needs_a_role(iv, pushed):
    spec = ImageVersionSpec(image_name="new-image", base_image=pushed["2.3"])
    with pytest.raises(SpecError) as caught:
        iv.register(spec, create_image=True)
    assert "role_arn" in caught.value.problems
    v = iv.register(spec, create_image=True, role_arn=ROLE)
    assert v.version == 1
    assert [i.name for i in iv.images()] == ["new-image"]


def test_history_aliases_move_update_delete(iv, pushed, image):
    for n, tag in enumerate(["2.3", "2.4", "2.3"], start=1):
        iv.register(make_spec(pushed[tag], release_notes=f"release {n}"))
    iv.update(image, 1, aliases_to_add=["1.0.0", "latest"])
    assert iv.aliases(image) == {"1.0.0": 1, "latest": 1}
    moved = iv.move_alias(image, "latest", to_version=3)
    assert moved.aliases == ("latest",)
    assert iv.get(image, alias="latest").version == 3
    updated = iv.update(image, 2, vendor_guidance="TO_BE_ARCHIVED", release_notes="changed")
    assert (updated.vendor_guidance, updated.release_notes) == ("TO_BE_ARCHIVED", "changed")
    history = iv.history(image)
    assert [(v.version, v.aliases) for v in history] == [(3, ("latest",)), (2, ()), (1, ("1.0.0",))]
    assert iv.delete(image, alias="1.0.0", wait=True) == 1
    assert [v.version for v in iv.history(image)] == [3, 2]
    assert iv.aliases(image) == {"latest": 3}
    with pytest.raises(NotFound):
        iv.get(image, 1)


def test_history_pages_newest_first(iv, pushed, image):
    for n in range(1, 8):
        aliases = ["1.0.0"] if n == 1 else []
        iv.register(make_spec(pushed["2.3"], release_notes=f"r{n}", aliases=aliases), wait=False)
    page, token, aliases = iv.history_page(image, limit=3)
    # The page carries the image's whole alias map, also aliases of versions on later pages.
    assert aliases == {"1.0.0": 1}
    assert [v.version for v in page] == [7, 6, 5]
    rest = []
    while token:
        more, token, _ = iv.history_page(image, limit=3, next_token=token)
        rest += [v.version for v in more]
    assert rest == [4, 3, 2, 1]
    assert [v.version for v in iv.history(image, limit=2)] == [7, 6]


def test_update_rejects_bad_fields_before_sending(iv, pushed, image):
    iv.register(make_spec(pushed["2.3"]))
    before = iv.endpoint.request_count
    with pytest.raises(SpecError) as caught:
        iv.update(image, 1, vendor_guidance="OLD", aliases_to_add=["-x"], colour="red")
    assert set(caught.value.problems) == {"vendor_guidance", "aliases_to_add", "colour"}
    assert iv.endpoint.request_count == before
    with pytest.raises(SpecError):
        iv.update(image, 1, aliases_to_delete=["not-there"])


def test_alias_on_another_version_is_refused(iv, pushed, image):
    iv.register(make_spec(pushed["2.3"], aliases=["1.0.0"]))
    iv.register(make_spec(pushed["2.4"]))
    with pytest.raises(SpecError):
        iv.update(image, 2, aliases_to_add=["1.0.0"])


def test_not_found_and_conflict(iv, pushed):
    with pytest.raises(NotFound):
        iv.history("nothing-here")
    iv.create_image("dup", role_arn=ROLE)
    with pytest.raises(Conflict):
        iv.create_image("dup", role_arn=ROLE)


def test_same_api_over_http(monkeypatch):
    endpoint = LocalEndpoint(":memory:", create_delay=0.1)
    endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    server = endpoint.serve_http(port=0)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    try:
        iv = ImageVersions(region="us-east-1", endpoint_url=server.url)
        iv.create_image("http-image", role_arn=ROLE)
        base = endpoint.registry_uri("team/pytorch", "2.3-gpu")
        spec = ImageVersionSpec(image_name="http-image", base_image=base, aliases=["1.0.0"])
        assert iv.register(spec).version == 1
        assert iv.register(spec).version == 1
        assert iv.history("http-image")[0].aliases == ("1.0.0",)
    finally:
        server.shutdown()


def _register_many(db: str, base: str, worker: int, count: int) -> None:
    iv = ImageVersions.local(db, create_delay=0)
    for n in range(count):
        spec = ImageVersionSpec(
            image_name="shared", base_image=base, release_notes=f"w{worker}-{n}"
        )
        iv.register(spec, wait=False)


def test_two_processes_get_distinct_consecutive_versions(tmp_path):
    db = str(tmp_path / "state.sqlite")
    seed = ImageVersions.local(db, create_delay=0)
    seed.create_image("shared", role_arn=ROLE)
    seed.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    base = seed.endpoint.registry_uri("team/pytorch", "2.3-gpu")
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_register_many, args=(db, base, w, 12)) for w in (1, 2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
        assert p.exitcode == 0
    history = seed.history("shared")
    assert sorted(v.version for v in history) == list(range(1, 25))
    notes = {v.release_notes for v in history}
    assert notes == {f"w{w}-{n}" for w in (1, 2) for n in range(12)}


def test_update_refused_after_a_move_puts_the_alias_back(iv, pushed, image):
    iv.register(make_spec(pushed["2.3"], aliases=["latest"]))
    iv.register(make_spec(pushed["2.4"], aliases=["1.0.0"]))
    iv.register(make_spec(pushed["2.3"], release_notes="three"))
    with pytest.raises(SpecError) as caught:
        iv.update(image, 3, move_aliases=["latest", "rc"], aliases_to_add=["1.0.0"])
    assert "1.0.0" in caught.value.message
    assert iv.aliases(image) == {"latest": 1, "1.0.0": 2}
    moved = iv.update(image, 3, move_aliases=["latest"], release_notes="now latest")
    assert (moved.aliases, moved.release_notes) == (("latest",), "now latest")
    assert iv.aliases(image) == {"latest": 3, "1.0.0": 2}
