"""`--output table|json|yaml`, `--query` (JMESPath), the exit codes in --help, the history
table's failure reasons, and `show` with only the fields that are set, in the user's time zone."""

from __future__ import annotations

import json
import re
import time

import pytest
import yaml

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.commands.cli import main
from jupyter_image_versions.core.backend import BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV
from jupyter_image_versions.core.errors import CreateFailed

from .conftest import ROLE

URI = "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/pytorch"
CREATED = "[?status==`CREATED`].version"


@pytest.fixture
def local(tmp_path, monkeypatch):
    """my-image: 1 CREATED, 2 CREATE_FAILED (its tag was never pushed), 3 CREATED."""
    db = str(tmp_path / "local.sqlite")
    monkeypatch.setenv(LOCAL_DB_ENV, db)
    monkeypatch.setenv(LOCAL_DELAY_ENV, "0")
    monkeypatch.setenv(BACKEND_ENV, "local")
    monkeypatch.delenv("NO_COLOR", raising=False)
    service = ImageVersions.local(db, create_delay=0.0)
    service.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    service.create_image("my-image", role_arn=ROLE)
    service.register(ImageVersionSpec("my-image", f"{URI}:2.3-gpu", ml_framework="PyTorch 2.3"))
    with pytest.raises(CreateFailed):
        service.register(ImageVersionSpec("my-image", f"{URI}:missing"))
    service.register(ImageVersionSpec("my-image", f"{URI}:2.3-gpu", aliases=["latest"]))
    yield service
    service.close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_query_selects_from_the_json_shape(local, capsys):
    status, out, _ = run(capsys, "history", "my-image", "--query", CREATED)
    assert status == 0
    assert json.loads(out) == [3, 1]
    # The same from the shape --json prints, and as text with --output table.
    everything = json.loads(run(capsys, "history", "my-image", "--json")[1])
    assert [v["version"] for v in everything if v["status"] == "CREATED"] == [3, 1]
    assert run(capsys, "history", "my-image", "-o", "table", "--query", CREATED)[1] == "3\n1\n"
    assert run(capsys, "aliases", "my-image", "--query", "latest", "-o", "table")[1] == "3\n"


def test_output_yaml_and_json_carry_the_same_data(local, capsys):
    as_json = json.loads(run(capsys, "show", "my-image:3", "--json")[1])
    assert json.loads(run(capsys, "show", "my-image:3", "--output", "json")[1]) == as_json
    assert yaml.safe_load(run(capsys, "show", "my-image:3", "--output", "yaml")[1]) == as_json
    status, out, _ = run(capsys, "--output", "yaml", "history", "my-image", "--query", CREATED)
    assert (status, yaml.safe_load(out)) == (0, [3, 1])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["history", "my-image", "--query", "[?status=="], "--query: '[?status==' is not"),
        (["history", "my-image", "--json", "--output", "yaml"], "--json and --output yaml"),
        (["history", "my-image", "--output", "xml"], "unknown value for --output/-o 'xml'"),
    ],
)
def test_bad_output_options_are_usage_errors(local, capsys, argv, expected):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert expected in err and len(err.strip().splitlines()) == 1


def test_exit_codes_are_in_the_help(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "exit status:" in out
    for line in ("0  done", "1  an AWS or validation error", "2  usage"):
        assert line in out
    assert "completion bash|zsh|fish" in out


def test_history_puts_the_failure_reason_beside_its_version(local, capsys):
    status, out, _ = run(capsys, "history", "my-image")
    assert status == 0
    header, _, *rows = out.splitlines()
    assert header.split()[:3] == ["VERSION", "STATUS", "ALIASES"]
    assert re.search(r"GUIDANCE\s+BASE IMAGE\s+REASON$", header)
    failed = next(r for r in rows if r.startswith("2 "))
    assert "CREATE_FAILED" in failed and f"{URI}:missing" in failed
    assert "Unable to pull image" in failed  # the reason, on the same line
    assert "Failures:" not in out


@pytest.fixture
def tokyo(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_show_prints_the_set_fields_in_the_users_time_zone(local, capsys, tokyo):
    status, out, _ = run(capsys, "show", "my-image:1")
    assert status == 0
    fields = dict(line.split("  ", 1) for line in out.splitlines())
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    assert fields["framework"] == "PyTorch 2.3" and fields["status"] == "CREATED"
    for unset in ("aliases", "release notes", "failure reason", "job type", "horovod"):
        assert unset not in fields, unset
    created = local.get("my-image", 1).created
    assert fields["created"] == created.astimezone().strftime("%Y-%m-%d %H:%M:%S JST")
    assert "latest" in run(capsys, "show", "my-image:3")[1]


def test_a_history_of_several_pages_reports_each_page(local, capsys, monkeypatch):
    from jupyter_image_versions.core import history_plan

    monkeypatch.setattr(history_plan, "PAGE_SIZE", 2)
    pages: list[tuple[int, int]] = []
    assert [v.version for v in local.history("my-image", on_page=lambda *p: pages.append(p))] == [
        3,
        2,
        1,
    ]
    assert pages == [(1, 2), (2, 3)]
    # Off a terminal: a plain line from the second page on (one page says nothing).
    status, _, err = run(capsys, "history", "my-image")
    assert status == 0 and err == "my-image: 3 versions listed (2 pages)\n"
    assert run(capsys, "history", "my-image", "--json")[2] == ""


def test_doctor_marks_are_coloured_spans():
    from jupyter_image_versions.commands.doctor import report_text

    findings = [
        {"severity": "error", "code": "no-jupyterlab", "message": "not on PATH"},
        {"severity": "warning", "code": "uid", "message": "not 1000"},
    ]
    data = {
        "base_image": "x",
        "digest": "sha256:1",
        "app_type": "JupyterLab",
        "platform": {"os": "linux", "architecture": "amd64"},
        "user": {"name": "root", "uid": 0, "gid": 0},
        "workdir": "/",
        "kernels": [],
        "findings": findings,
        "cached": True,
    }
    text = report_text(data)
    assert [(text[a:b], style) for a, b, style in text.spans] == [
        ("ERROR", "bold red"),
        ("warn", "yellow"),
        ("1 problem: Studio will not start it", "bold red"),
    ]


def test_styled_text_keeps_its_spans_when_joined_and_tables_fit(local):
    from jupyter_image_versions.commands.text import Styled, versions_text

    joined = "Registered.\n" + Styled.make("CREATED", [(0, 7, "green")])
    assert isinstance(joined, Styled) and joined[slice(*joined.spans[0][:2])] == "CREATED"
    versions = local.history("my-image")
    for width in (100, 120, 160):
        text = versions_text(versions, width)
        assert all(len(line) <= width for line in text.splitlines()), (width, text)
        assert all(text[a:b] in ("CREATED", "CREATE_FAILED") for a, b, s in text.spans[1:])
    narrow = versions_text(versions, 100)
    assert ":2.3-gpu" in narrow and "…/" in narrow  # the tag survives the shortening
    assert f"{URI}:2.3-gpu" in versions_text(versions)  # no width: nothing cut


def test_doctor_help_names_its_exit_status(capsys):
    assert main(["doctor", "--help"]) == 0
    assert "1 a finding is an error" in " ".join(capsys.readouterr().out.split())


def test_a_shortened_base_image_keeps_whole_path_segments() -> None:
    """'…/pytorch:2.3-gpu', never '…/atform/pytorch:2.3-gpu' (a segment cut in the middle)."""
    from jupyter_image_versions.commands.text import shorten_image

    uri = "000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-gpu"
    assert shorten_image(uri, 24) == "…/pytorch:2.3-gpu"
    assert shorten_image(uri, 48) == "…/ml-platform/pytorch:2.3-gpu"
    assert shorten_image(uri, 10) == "…/pytorch:2.3-gpu"  # the name and tag stay whole
