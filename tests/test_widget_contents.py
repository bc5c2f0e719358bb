"""The panel's Contents section on the demo's real images (local ECR), driven through widget
values and Button.click(): a version's contents, filtered; the package diff of two; errors and
cancelling as messages; every string escaped."""

from __future__ import annotations

import threading

import pytest

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.commands.demo_data import DEMO_IMAGE, DEMO_REPOSITORY, seed
from jupyter_image_versions.local.image_push import Layer, push_image
from jupyter_image_versions.local.sample_contents import dist_info, pytorch_image
from jupyter_image_versions.notebook.widgets import ImageVersionPanel

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def service():
    iv = ImageVersions.local(":memory:", create_delay=0)
    seed(iv)  # pytorch-training v1..v5 on real images (v3 CREATE_FAILED)
    yield iv
    iv.close()


@pytest.fixture
def panel(service):
    p = ImageVersionPanel(DEMO_IMAGE, service=service)
    assert p.wait_idle(20)
    yield p
    p.close()


def read(panel, target: str, other: str = "", diff: bool = False) -> None:
    c = panel.contents
    c.target.value, c.other.value = target, other
    (c.diff_button if diff else c.contents_button).click()
    assert panel.wait_idle(30)


def test_contents_of_a_version_with_its_summary(panel):
    read(panel, "5")  # a bare number is the chosen image's version
    html = panel.contents.output.value
    assert "Ubuntu 22.04.4 LTS" in html and "CUDA: 12.1.1" in html
    assert "/opt/conda/bin/python3.11 3.11.9 (default)" in html
    for name, version in (("torch", "2.3.0"), ("lightning", "2.2.4"), ("libc6", "2.35")):
        assert f"<td>{name}</td><td>{version}" in html
    assert "tensorboard" not in html  # removed in 2.3
    assert "Done in" in panel.contents.status.value


def test_the_answer_is_filtered_without_a_new_read(panel):
    read(panel, f"{DEMO_IMAGE}:2")
    c = panel.contents
    # Shown at once, with nothing submitted to the worker: no read.
    c.ecosystem.value = "deb"
    assert not panel.worker.busy
    assert "<td>libc6</td>" in c.output.value and "<td>torch</td>" not in c.output.value
    c.ecosystem.value = None
    c.filter.value = "NumPy"
    assert not panel.worker.busy
    assert "<td>numpy</td><td>1.26.4" in c.output.value
    assert "<td>torch</td>" not in c.output.value


def test_the_version_chosen_in_the_history_is_the_one_read(panel):
    panel.history.version.value = 2
    assert panel.contents.target.value == "2"


def test_package_diff_of_two_versions(panel):
    read(panel, "2", "5", diff=True)
    html = panel.contents.output.value
    assert f"{DEMO_IMAGE}:2 → {DEMO_IMAGE}:5" in html
    changed, added = html.index("Changed ("), html.index("Added (")
    removed = html.index("Removed (")
    assert changed < html.index(">torch<") < added and ">major<" in html
    assert added < html.index(">lightning<") < removed < html.index(">tensorboard<")
    assert "<code>2.2.1</code>" in html and "<code>2.3.0</code>" in html
    panel.contents.filter.value = "TORCH"
    assert not panel.worker.busy
    assert ">numpy<" not in panel.contents.output.value
    assert ">torch<" in panel.contents.output.value


def test_bad_input_is_a_message_naming_the_field(panel):
    c = panel.contents
    c.target.value = ""
    c.contents_button.click()
    assert "Version: give a version number" in c.status.value
    c.target.value, c.other.value = "2", " "
    c.diff_button.click()
    assert "Diff to: give a version number" in c.status.value
    read(panel, "no such thing")
    assert "Traceback" not in c.status.value
    assert "must be" in c.status.value or "not" in c.status.value
    read(panel, f"{DEMO_IMAGE}:99")
    assert "99" in c.status.value


def test_cancel_drops_the_answer_of_the_read_under_way(panel):
    hold = threading.Event()
    for _ in range(2):  # both worker threads wait, so the read starts after Cancel
        panel.worker.submit(hold.wait, 10)
    c = panel.contents
    c.output.value = ""
    c.target.value = "1"
    c.contents_button.click()
    assert not c.cancel_button.disabled
    c.cancel_button.click()
    hold.set()
    assert panel.wait_idle(30)
    assert "Cancelled" in c.status.value
    assert c.output.value == ""
    assert c.cancel_button.disabled


def test_every_string_is_escaped(service):
    ecr = service.endpoint.client("ecr")
    try:
        spec = pytorch_image("2.3-cpu")
        spec.layers.append(Layer(dist_info(XSS, "1.0<b>")))
        push_image(ecr, DEMO_REPOSITORY, "xss", spec)
    finally:
        ecr.close()
    p = ImageVersionPanel(DEMO_IMAGE, service=service)
    try:
        assert p.wait_idle(20)
        uri = service.endpoint.registry_uri(DEMO_REPOSITORY, "xss")
        read(p, uri)
        assert "&lt;img src=x onerror=alert(1)&gt;" in p.contents.output.value
        assert XSS not in p.contents.output.value and "1.0<b>" not in p.contents.output.value
        read(p, "4", uri, diff=True)
        assert "&lt;img src=x onerror=alert(1)&gt;" in p.contents.output.value
        assert XSS not in p.contents.output.value
        p.contents.target.value = XSS
        p.contents.contents_button.click()
        assert p.wait_idle(20)
        assert XSS not in p.contents.status.value
    finally:
        p.close()
