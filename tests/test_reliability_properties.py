"""hypothesis over every spec field and over CLI and magic arguments: any input gets either a
result or one clear message naming what is wrong, never an exception or a traceback.

Quick by default (a few dozen examples each); IMAGE_VERSIONS_LONG=1 runs a thousand.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import tempfile
from pathlib import Path

import pytest
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.commands.cli import main
from jupyter_image_versions.core import awsmodel
from jupyter_image_versions.core.spec import REQUEST_MEMBERS

from .reliability_helpers import LONG, ROLE

EXAMPLES = 1000 if LONG else 40
RUN = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
URI = "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/pytorch:2.3-gpu"
# Any code point, lone surrogates included (hypothesis leaves them out unless asked).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=80)
NEAR_VALID = st.sampled_from(
    ["PyTorch 2.3", "Python 3.11", "GPU", "CPU", "TRAINING", "STABLE", "1.0.0", "a" * 300, ""]
)
FIELD_VALUE = st.one_of(ANY_TEXT, NEAR_VALID, st.none(), st.integers(), st.booleans())
TEXT_FIELDS = [name for name in REQUEST_MEMBERS if name not in ("aliases", "horovod")]


@RUN
@given(
    values=st.fixed_dictionaries(
        {},
        optional={name: FIELD_VALUE for name in [*TEXT_FIELDS, "horovod"]}
        | {"aliases": st.lists(st.one_of(ANY_TEXT, NEAR_VALID), max_size=4)},
    )
)
def test_every_spec_field_is_checked_or_accepted_as_aws_would(values):
    spec = ImageVersionSpec(**({"image_name": "img", "base_image": URI} | values))
    problems = spec.problems()
    for name, message in problems.items():
        assert name in REQUEST_MEMBERS and not message.startswith(name), (name, message)
        message.encode("utf-8")  # printable anywhere: no lone surrogate echoed back
    if not problems:  # what we accept, botocore's own validation of the request accepts too
        shape = awsmodel.service_model("sagemaker").operation_model("CreateImageVersion")
        request = spec.to_request() | {"ClientToken": spec.client_token()}
        try:
            validate_parameters(request, shape.input_shape)
        except ParamValidationError as exc:  # pragma: no cover - the property's failure
            pytest.fail(f"accepted but botocore refuses it: {exc}")
        for value in request.values():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    assert awsmodel.text_problem(text) is None


COMMANDS = [
    "images",
    "history IMG",
    "history IMG --limit N",
    "show IMG:N",
    "show IMG@T",
    "register IMG URI --notes T --alias T",
    "register IMG T --framework T --processor T",
    "alias IMG:N --add T --remove T",
    "alias IMG:N --move T",
    "aliases IMG",
    "guidance IMG:N T",
    "update IMG:N --notes T --guidance T",
    "delete IMG:N --yes",
    "create-image T --role T --description T",
    "export IMG --format T",
    "studio lcc --app-type T --install T",
    "studio context",
]
PIECES = {
    "IMG": st.sampled_from(["my-image", "missing", "bad name", ""]) | ANY_TEXT,
    "N": st.sampled_from(["1", "0", "-1", "99999999999999999999", "x"]),
    "T": ANY_TEXT | NEAR_VALID,
    "URI": st.just(URI) | ANY_TEXT,
}


@st.composite
def command_lines(draw) -> list[str]:
    template = draw(st.sampled_from(COMMANDS)).split()
    argv = [draw(PIECES[word]) if word in PIECES else word for word in template]
    if draw(st.booleans()):
        argv.append(draw(st.sampled_from(["--json", "--bogus", "--region", "-h"])))
    return argv


@pytest.fixture(scope="module")
def local_db():
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "state.sqlite")
        seed = ImageVersions.local(db, create_delay=0)
        seed.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
        seed.create_image("my-image", role_arn=ROLE)
        seed.close()
        yield db


@RUN
@given(argv=command_lines())
def test_any_cli_arguments_give_a_result_or_one_line(argv, local_db, monkeypatch):
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_BACKEND", "local")
    monkeypatch.setenv("JUPYTER_IMAGE_VERSIONS_LOCAL_DB", local_db)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    assert status in (0, 1, 2), (argv, status)
    if status:
        lines = [line for line in err.getvalue().splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in err.getvalue(), (argv, err.getvalue())
    err.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def shell(local_db):
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.extension_manager.load_extension("jupyter_image_versions")
    ip.run_line_magic("config", 'ImageVersionsMagic.backend = "local"')
    ip.run_line_magic("config", f"ImageVersionsMagic.local_db = {local_db!r}")
    yield ip
    ip.run_line_magic("config", "ImageVersionsMagic.local_db = None")


@RUN
@given(argv=command_lines())
def test_any_magic_line_gives_a_result_or_one_line(argv, shell, capsys):
    line = " ".join(shlex.quote(a) for a in argv if a != "-h")
    shell.run_line_magic("imageversion", line)  # must not raise
    err = capsys.readouterr().err
    assert "Traceback" not in err, (line, err)
    assert len([x for x in err.splitlines() if x.strip()]) <= 1, (line, err)
