"""ImageVersionPanel driven in-process through widget values and Button.click()."""

from __future__ import annotations

import time

import pytest

from jupyter_image_versions import ImageVersions
from jupyter_image_versions.core.backend import LocalClients
from jupyter_image_versions.notebook.widgets import ImageVersionPanel

from .conftest import ROLE, finish_creating

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def service():
    iv = ImageVersions.local(":memory:", create_delay=0.2)
    iv.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    iv.endpoint.put_ecr_image("team/pytorch", "2.4-gpu")
    iv.create_image("my-image", role_arn=ROLE)
    yield iv
    iv.close()


@pytest.fixture
def panel(service):
    p = ImageVersionPanel("my-image", service=service, page_size=3)
    assert p.wait_idle(20)
    yield p
    p.close()


def uri(service, tag: str) -> str:
    return service.endpoint.registry_uri("team/pytorch", tag)


def shown(panel) -> dict[str, str]:
    """Field -> inline problem HTML, for the fields that show one."""
    return {name: widget.value for name, widget in panel.problems.items() if widget.value}


def fill_valid(panel, service, tag: str = "2.3-gpu", aliases: str = "2.3.0, latest") -> None:
    f = panel.form
    f.base_image.value = uri(service, tag)
    f.ml_framework.value = "PyTorch 2.3"
    f.programming_lang.value = "Python 3.11"
    f.processor.value = "GPU"
    f.job_type.value = "TRAINING"
    f.aliases.value = aliases
    f.release_notes.value = "CUDA 12.1"
    f.vendor_guidance.value = "STABLE"


def register(panel) -> None:
    assert not panel.form.register_button.disabled, shown(panel)
    panel.form.register_button.click()
    assert panel.wait_idle(20)


def test_backend_note_and_image_chooser(panel):
    assert "LOCAL" in panel.backend_note.value
    assert panel.image.value == "my-image"
    assert panel.form.image_name == "my-image"
    assert "my-image has no versions" in panel.history.table.value


def test_no_problem_is_shown_before_a_field_is_touched(panel):
    """A fresh form shows no "is required"; Register stays disabled until the spec is valid."""
    assert shown(panel) == {}
    assert panel.form.register_button.disabled
    panel.form.ml_framework.value = "pytorch"
    assert list(shown(panel)) == ["ml_framework"]
    assert "ML framework &#x27;pytorch&#x27; must look like" in shown(panel)["ml_framework"]
    panel.form.validate(show_all=True)
    assert "base_image" in shown(panel)


def test_each_bad_field_shows_its_problem_and_it_clears_when_fixed(panel, service):
    f = panel.form
    fill_valid(panel, service)
    assert shown(panel) == {}
    assert not f.register_button.disabled
    bad = {
        "base_image": (f.base_image, "docker.io/library/python:3"),
        "ml_framework": (f.ml_framework, "pytorch"),
        "programming_lang": (f.programming_lang, "python three"),
        "aliases": (f.aliases, "2.3.0, has space"),
        "release_notes": (f.release_notes, "x" * 300),
    }
    for name, (widget, value) in bad.items():
        good = widget.value
        widget.value = value
        assert list(shown(panel)) == [name], name
        # Under its field, led by the field's label: never the API field name.
        assert f">{widget.description} " in panel.problems[name].value
        assert name not in panel.problems[name].value
        assert f.register_button.disabled
        widget.value = good
        assert shown(panel) == {}
        assert not f.register_button.disabled
    # several at once, each in its own place
    f.ml_framework.value = "pytorch"
    f.base_image.value = ""
    assert set(shown(panel)) == {"ml_framework", "base_image"}
    assert "required" in panel.problems["base_image"].value
    assert f.register_button.disabled


def test_register_is_disabled_until_an_image_is_chosen(panel, service):
    fill_valid(panel, service)
    panel.image.value = None
    assert "image" in panel.problems["image_name"].value
    assert panel.form.register_button.disabled
    panel.image.value = "my-image"
    assert not panel.form.register_button.disabled


def test_ecr_picker_fills_the_base_image(panel, service):
    f = panel.form
    assert "team/pytorch" in [value for _, value in f.ecr_repository.options]
    f.ecr_repository.value = "team/pytorch"
    assert panel.wait_idle(10)
    tags = dict(f.ecr_tag.options)
    assert set(tags) == {"(not set)", "2.3-gpu", "2.4-gpu"}
    f.ecr_tag.value = tags["2.4-gpu"]
    assert f.base_image.value == uri(service, "2.4-gpu")


def test_registration_reaches_created_and_history_shows_it(panel, service):
    service.endpoint.create_delay = 3  # CREATING is shown even on a loaded machine
    fill_valid(panel, service)
    seen = []

    def on_progress(change):
        seen.append(change["new"])
        if "Creating" in change["new"] and service.endpoint.create_delay:
            finish_creating(service.endpoint)  # then no need to wait the 3 s

    panel.form.progress.observe(on_progress, names="value")
    register(panel)
    assert any("Creating" in s for s in seen), seen
    assert "version 1 is created" in panel.form.progress.value
    assert "not SemVer" in panel.form.progress.value  # 'latest' is a warning, not a problem
    table = panel.history.table.value
    assert ">Created</span>" in table and ">2.3.0</span>" in table and ">latest</span>" in table
    assert [v.version for v in panel.history.versions] == [1]
    assert service.get("my-image", alias="latest").version == 1
    # the form is usable again
    assert not panel.form.register_button.disabled


def test_registration_does_not_block_the_caller(panel, service):
    service.endpoint.create_delay = 1.0
    fill_valid(panel, service)
    panel.form.register_button.click()
    # click() returned while the version is still being created in the background
    assert panel.worker.busy
    assert panel.form.register_button.disabled
    assert panel.wait_idle(20)
    assert "created" in panel.form.progress.value


def test_a_missing_base_image_shows_its_failure_reason(panel, service):
    fill_valid(panel, service, tag="9.9-missing", aliases="")
    register(panel)
    progress = panel.form.progress.value
    reason = service.get("my-image", 1).failure_reason
    assert reason
    assert "failed" in progress and reason.split(":")[0] in progress
    assert "Create failed" in panel.history.table.value
    assert "Traceback" not in progress + panel.status.value


def test_history_pages_newest_first(panel, service):
    for tag in ("2.3-gpu", "2.4-gpu"):
        for n in range(2):
            fill_valid(panel, service, tag=tag, aliases="")
            panel.form.release_notes.value = f"{tag} build {n}"
            register(panel)
    h = panel.history
    assert [v.version for v in h.versions] == [4, 3, 2]
    assert h.prev_button.disabled and not h.next_button.disabled
    h.next_button.click()
    assert panel.wait_idle(10)
    assert [v.version for v in h.versions] == [1]
    assert h.next_button.disabled and not h.prev_button.disabled
    h.prev_button.click()
    assert panel.wait_idle(10)
    assert [v.version for v in h.versions] == [4, 3, 2]


@pytest.fixture
def two_versions(panel, service):
    fill_valid(panel, service, aliases="2.3.0, latest")
    register(panel)
    fill_valid(panel, service, tag="2.4-gpu", aliases="2.4.0")
    register(panel)
    assert [v.version for v in panel.history.versions] == [2, 1]
    return panel


def test_alias_actions(two_versions, service):
    panel, h = two_versions, two_versions.history
    h.version.value = 2
    assert "latest" in [a for a in h.move_alias.options]
    h.move_alias.value = "latest"
    h.move_alias_button.click()
    assert panel.wait_idle(10)
    assert service.aliases("my-image") == {"2.3.0": 1, "latest": 2, "2.4.0": 2}
    assert "Moved alias" in panel.status.value

    h.alias_name.value = "bad alias"
    assert "alias" in h.alias_problem.value and h.add_alias_button.disabled
    h.alias_name.value = "2.4.1"
    assert h.alias_problem.value == "" and not h.add_alias_button.disabled
    h.add_alias_button.click()
    assert panel.wait_idle(10)
    assert set(service.get("my-image", 2).aliases) == {"2.4.0", "2.4.1", "latest"}

    h.version.value = 1
    h.remove_alias.value = "2.3.0"
    h.remove_alias_button.click()
    assert panel.wait_idle(10)
    assert service.get("my-image", 1).aliases == ()
    assert ">2.4.1</span>" in h.table.value


def test_set_vendor_guidance(two_versions, service):
    panel, h = two_versions, two_versions.history
    h.version.value = 1
    h.guidance.value = "TO_BE_ARCHIVED"
    h.guidance_button.click()
    assert panel.wait_idle(10)
    assert service.get("my-image", 1).vendor_guidance == "TO_BE_ARCHIVED"
    assert "To be archived" in h.table.value and "TO_BE_ARCHIVED" not in h.table.value


def test_delete_asks_for_confirmation(two_versions, service):
    panel, h = two_versions, two_versions.history
    h.version.value = 1
    h.delete_button.click()
    assert panel.wait_idle(5)
    assert h.confirming
    assert "Delete my-image version 1 (aliases: 2.3.0, latest)?" in h.confirm_text.value
    assert [v.version for v in service.history("my-image")] == [2, 1]  # nothing deleted yet
    h.cancel_delete_button.click()
    assert not h.confirming
    assert [v.version for v in service.history("my-image")] == [2, 1]
    h.delete_button.click()
    h.confirm_delete_button.click()
    assert panel.wait_idle(10)
    assert [v.version for v in service.history("my-image")] == [2]
    assert [v.version for v in h.versions] == [2]
    assert "Deleted my-image version 1" in panel.status.value


def test_a_deleting_version_is_greyed_without_actions_until_it_is_gone(two_versions, service):
    panel, h = two_versions, two_versions.history
    service.endpoint.delete_delay = 30  # deleted elsewhere (CLI, sidebar): AWS takes its time
    service.delete("my-image", 1)
    h.version.value = 2
    panel.refresh_history()
    deadline = time.monotonic() + 10
    while "jp-image-versions-deleting" not in h.table.value and time.monotonic() < deadline:
        time.sleep(0.05)
    row = h.table.value.split('<tr class="jp-image-versions-deleting"')[1].split("</tr>")[0]
    assert 'style="opacity:0.5"' in row and "fa-spinner fa-spin" in row and ">Deleting<" in row
    assert h.table.value.count("jp-image-versions-deleting") == 1  # version 2 is not greyed
    assert dict(h.version.options)["1 (Deleting)"] == 1
    h.version.value = 1
    h.alias_name.value = "9.9.9"
    buttons = (h.delete_button, h.add_alias_button, h.remove_alias_button, h.guidance_button)
    assert all(b.disabled for b in buttons)
    h.version.value = 2
    assert not h.delete_button.disabled and not h.add_alias_button.disabled
    finish_creating(service.endpoint)  # the delete finishes; the panel's polling sees it gone
    assert panel.wait_idle(15)
    assert [v.version for v in h.versions] == [2]
    assert "jp-image-versions-deleting" not in h.table.value


def test_aws_errors_become_messages(panel, service):
    fill_valid(panel, service)
    # removed behind the panel's back: AWS says ResourceNotFound once it is gone
    service.delete_image("my-image", wait=True)
    panel.form.register_button.click()
    assert panel.wait_idle(10)
    progress = panel.form.progress.value
    assert "Registration failed" in progress and "my-image" in progress
    assert not panel.form.register_button.disabled
    panel.history.refresh_button.click()
    assert panel.wait_idle(10)
    assert "jp-image-versions-error" in panel.status.value and "my-image" in panel.status.value
    assert "Traceback" not in progress + panel.status.value


def test_server_errors_become_messages(service):
    # the same endpoint through clients that do not retry, to keep the test quick
    no_retries = ImageVersions(clients=LocalClients(service.endpoint, max_attempts=1))
    panel = ImageVersionPanel("my-image", service=no_retries)
    assert panel.wait_idle(10)
    service.endpoint.set_faults(error_rate=1.0)
    panel.refresh_images_button.click()
    assert panel.wait_idle(10)
    assert "jp-image-versions-error" in panel.status.value
    assert "injected" in panel.status.value and "Traceback" not in panel.status.value
    panel.close()


def test_unknown_image_offers_to_create_it(service):
    panel = ImageVersionPanel("new-image", service=service)
    assert panel.wait_idle(10)
    assert panel.image.value is None
    assert panel.new_image_button.value and panel.new_image_name.value == "new-image"
    assert "does not exist" in panel.status.value
    panel.new_image_role.value = "not-an-arn"
    panel.create_image_button.click()
    assert panel.wait_idle(10)
    # The server's problem under its field and in the status, led by the label, not the API key.
    assert ">Role ARN: " in panel.new_image_problems["role_arn"].value
    assert "role_arn" not in panel.new_image_problems["role_arn"].value
    assert "Role ARN: " in panel.status.value and "role_arn" not in panel.status.value
    panel.new_image_role.value = ROLE
    panel.create_image_button.click()
    assert panel.wait_idle(10)
    assert panel.image.value == "new-image"
    assert "Created image new-image" in panel.status.value
    panel.close()


def test_role_is_prefilled_from_studio(service, tmp_path, monkeypatch):
    role = "arn:aws:iam::111122223333:role/StudioExecution"
    meta = tmp_path / "resource-metadata.json"
    meta.write_text(f'{{"DomainId": "d-abc", "ExecutionRoleArn": "{role}"}}')
    monkeypatch.setenv("RESOURCE_METADATA_FILE", str(meta))
    panel = ImageVersionPanel(service=service)
    assert panel.wait_idle(10)
    assert panel.new_image_role.value == role
    assert "Studio domain d-abc" in panel.backend_note.value
    panel.close()


def test_user_strings_are_escaped_in_every_html_widget(panel, service):
    fill_valid(panel, service, aliases="")
    panel.form.release_notes.value = f"{XSS_SCRIPT} and {XSS_IMG}"
    register(panel)
    table = panel.history.table.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "&lt;img src=x onerror=alert(1)&gt;" in table
    # aliases with markup are refused, and the refusal shows them as text
    panel.form.aliases.value = XSS_IMG
    assert "&lt;img src=x onerror=alert(1)&gt;" in panel.problems["aliases"].value
    panel.history.alias_name.value = XSS_SCRIPT
    assert "&lt;script&gt;" in panel.history.alias_problem.value
    panel.new_image_button.value = True
    panel.new_image_name.value = XSS_SCRIPT
    panel.new_image_role.value = XSS_IMG
    panel.create_image_button.click()
    assert panel.wait_idle(10)
    html = [widget.value for widget in _html_widgets(panel)]
    assert any("&lt;script&gt;" in value for value in html)
    for value in html:
        assert "<script" not in value and "<img" not in value, value


def _html_widgets(widget):
    import ipywidgets as w

    if isinstance(widget, w.HTML):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _html_widgets(child)


def test_no_credentials_is_a_message_not_a_traceback():
    # conftest isolates the environment: no AWS credentials can be found
    panel = ImageVersionPanel(service=ImageVersions(region="us-east-1"))
    assert panel.wait_idle(30)
    assert "credentials" in panel.backend_note.value.lower()
    assert "jp-image-versions-error" in panel.status.value
    assert "JUPYTER_IMAGE_VERSIONS_BACKEND=local" in panel.status.value  # says how to fix it
    assert "Traceback" not in panel.backend_note.value + panel.status.value
    panel.close()


def test_server_problems_are_led_by_the_field_label(panel):
    # What a server's ValidationError carries: field keys, messages that may start with them.
    summary = panel.form.show_server_problems(
        {
            "ml_framework": "ml_framework 'pytorch' must look like 'PyTorch 2.3'",
            "aliases_to_add": "aliases_to_add: 'a b' contains a space",
        }
    )
    shown = panel.problems["ml_framework"].value
    assert ">ML framework: &#x27;pytorch&#x27; must look like" in shown
    assert "ml_framework" not in shown
    assert summary == (
        "ML framework: 'pytorch' must look like 'PyTorch 2.3'; Aliases: 'a b' contains a space"
    )


def test_horovod_is_sent_only_when_touched_and_reads_so(panel, service):
    """Untouched: not sent (None) and "Not provided", even after Register showed every problem;
    ticked: Yes; unticked again: No, sent as False."""
    f = panel.form
    fill_valid(panel, service)
    f.validate(show_all=True)
    assert f.spec().horovod is None
    assert "Not provided" in f.horovod_state.value
    f.horovod.value = True
    assert f.spec().horovod is True
    assert "Yes" in f.horovod_state.value
    f.horovod.value = False
    assert f.spec().horovod is False
    assert "No" in f.horovod_state.value
