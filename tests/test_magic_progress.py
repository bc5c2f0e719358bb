"""The magic's progress: one notebook output updated in place that ends on one final line; none
with --json; `--query` and `--output yaml` in the magic. And the retry listener's delay."""

from __future__ import annotations

import io
import re

import pytest
from IPython.utils.capture import capture_output

from jupyter_image_versions.commands.progress import PlainProgress
from jupyter_image_versions.core.backend import LOCAL_DELAY_ENV
from jupyter_image_versions.core.errors import Throttled
from jupyter_image_versions.core.throttle import CallGate
from jupyter_image_versions.notebook.html import Code

from .test_magic import ip  # noqa: F401 (the fixture)


def progress_outputs(captured) -> list[dict]:
    return [
        o for o in captured.outputs if "jp-image-versions-progress" in o.data.get("text/html", "")
    ]


def test_register_in_the_magic_leaves_one_final_progress_line(ip, monkeypatch):  # noqa: F811
    monkeypatch.setenv(LOCAL_DELAY_ENV, "5")  # the magic's service: CREATING for 5 s
    with capture_output() as captured:
        v = ip.run_line_magic("imageversion", f"register my-image {ip.uri}")
    assert v.status == "CREATED"
    shown = progress_outputs(captured)
    first, *updates = shown
    assert not first.update and updates and all(o.update for o in updates)
    ids = {o.transient["display_id"] for o in shown}
    assert len(ids) == 1  # one output, updated in place
    texts = [o.data["text/plain"] for o in shown]
    assert any(re.fullmatch(r"my-image version 1: CREATING( \(\d+ s\))?", t) for t in texts), texts
    assert re.fullmatch(r"my-image version 1: CREATED( \([1-9]\d* s\))?", texts[-1]), texts

    with capture_output() as captured:
        data = ip.run_line_magic("imageversion", f"register my-image {ip.uri} --notes 2 --json")
    assert data["status"] == "CREATED" and progress_outputs(captured) == []


def test_query_and_yaml_in_the_magic(ip):  # noqa: F811
    ip.run_line_magic("imageversion", f"register my-image {ip.uri} --alias latest")
    ip.run_line_magic("imageversion", f"register my-image {ip.uri} --notes two")
    query = "history my-image --query '[?status==`CREATED`].version'"
    assert ip.run_line_magic("imageversion", query) == [2, 1]
    shown = ip.run_line_magic("imageversion", "aliases my-image --output yaml")
    assert isinstance(shown, Code) and shown.strip() == "latest: 1"


def test_the_gate_tells_listeners_the_delay_before_a_retry():
    answers = iter([Throttled("slow down"), Throttled("slow down"), "done"])

    def call() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    gate = CallGate(base_delay=0.001, max_delay=0.01)
    heard: list[tuple] = []
    gate.add_listener(lambda op, attempt, waited: heard.append(("old", op, attempt)))
    undo = gate.add_listener(
        lambda op, attempt, waited, delay: heard.append(("new", op, attempt, delay)),
        with_delay=True,
    )
    assert gate.run("list_images", call) == "done"
    assert [h[:3] for h in heard] == [
        ("old", "list_images", 1),
        ("new", "list_images", 1),
        ("old", "list_images", 2),
        ("new", "list_images", 2),
    ]
    assert all(0 <= h[3] <= 0.01 for h in heard if h[0] == "new")
    undo()
    assert len(gate._listeners) == 1


@pytest.mark.parametrize(("attempt", "said"), [(1, True), (2, False), (5, True)])
def test_plain_progress_says_throttled_retrying_in(attempt, said):
    stream = io.StringIO()
    shown = PlainProgress(stream)
    shown.retrying("list_images", attempt, 2.0)
    shown.step("my-image version 3: CREATING")
    shown.step("my-image version 3: CREATING")  # once
    shown.step("reading layers", plain=False)  # a live-only step
    lines = stream.getvalue().splitlines()
    throttled = ["list_images: throttled, retrying in 2.0 s"] if said else []
    assert lines == [*throttled, "my-image version 3: CREATING"]
