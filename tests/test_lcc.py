"""The Studio lifecycle configuration script: lint, quoting, behaviour in a sandbox."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from jupyter_image_versions import SpecError, __version__
from jupyter_image_versions.studio import lcc_script as lcc

ROOT = Path(__file__).resolve().parent.parent
SPECS = [
    "jupyter-image-versions==0.1.0",
    "https://example.com/wheels/jupyter_image_versions-0.1.0-py3-none-any.whl",
    "s3://my-bucket/wheels/jupyter_image_versions-0.1.0-py3-none-any.whl",
    "a b 'c' \"d\" $(touch /tmp/x) `id` ; rm -rf / #",
]


def test_content_limit_comes_from_botocore_model():
    assert lcc.max_content_length() == 16384


@pytest.mark.parametrize("app_type", lcc.APP_TYPES)
@pytest.mark.parametrize("spec", SPECS)
def test_script_passes_bash_n_and_shellcheck(app_type, spec, tmp_path):
    script = tmp_path / "lcc.sh"
    script.write_text(lcc.lifecycle_script(app_type, spec))
    syntax = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
    assert shutil.which("shellcheck"), "shellcheck is needed (scripts/test.sh installs it)"
    lint = subprocess.run(
        ["shellcheck", "--severity=style", str(script)], capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout
    assert lint.stdout == ""


def test_bad_arguments_are_named():
    with pytest.raises(SpecError) as info:
        lcc.lifecycle_script("KernelGateway", "")
    assert set(info.value.problems) == {"app_type", "install"}
    assert "JupyterLab, JupyterServer" in info.value.problems["app_type"]
    for bad in ("s3://bucket-only", "s3://b/key.tar.gz", "pkg\nrm -rf /", "--index-url=x"):
        with pytest.raises(SpecError) as info:
            lcc.lifecycle_script("JupyterLab", bad)
        assert "--install" in info.value.problems["install"]


def test_too_long_for_aws_fails_clearly():
    script = lcc.lifecycle_script("JupyterLab", "x" * 13000)
    with pytest.raises(SpecError) as info:
        lcc.encode(script)
    message = info.value.problems["install"]
    assert "at most 16384" in message and "shorten --install" in message
    short = lcc.encode(lcc.lifecycle_script("JupyterLab", "jupyter-image-versions"))
    assert base64.b64decode(short).decode().startswith("#!/bin/bash")


# -- running the script against stubs -------------------------------------------------------


def _stub(path: Path, body: str) -> Path:
    path.write_text("#!/bin/bash\n" + body)
    path.chmod(0o755)
    return path


@pytest.fixture
def stubs(tmp_path):
    """A fake python (answers sys.prefix, records the rest), a recording pip, a PATH dir."""
    prefix = tmp_path / "prefix"
    prefix.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "record"
    record.mkdir()
    python = _stub(
        bin_dir / "python",
        f'case "$*" in *sys.prefix*) echo {prefix}; exit 0;; esac\n'
        f'printf "%s\\n" "$@" >> {record}/python\n'
        # `jupyter labextension list`: the file lab-listing when there is one
        'case "$*" in *"labextension list"*) '
        f'cat {tmp_path}/lab-listing 2>/dev/null || echo "{LAB_OK}";; '
        '*"extension list"*) '
        'echo "jupyter_image_versions enabled"; echo "jupyter_image_versions 0.1.0 OK";; esac\n',
    )
    pip = _stub(bin_dir / "pip", f'printf "%s\\0" "$@" > {record}/pip\n')
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "IMAGE_VERSIONS_PYTHON": str(python),
        "IMAGE_VERSIONS_PIP": str(pip),
        "IMAGE_VERSIONS_LOG": str(tmp_path / "app.log"),
    }
    return {"env": env, "record": record, "prefix": prefix, "bin": bin_dir, "tmp": tmp_path}


LAB_OK = "        jupyter-image-versions v0.1.0 enabled OK (python, jupyter-image-versions)"
# what JupyterLab 4.0.8 listed for the build that required @jupyterlab/codemirror ~4.6.6 (issue 24)
LAB_REFUSED = (
    "JupyterLab v4.0.8\n/opt/conda/share/jupyter/labextensions\n"
    "        jupyter-image-versions v0.1.0 \x1b[32menabled\x1b[0m \x1b[31m X\x1b[0m"
    " (python, jupyter-image-versions)\n\n\n"
    '"jupyter-image-versions@0.1.0" is not compatible with the current JupyterLab\n'
    "Conflicting Dependencies:\nJupyterLab             Extension      Package\n"
    ">=4.0.8 <4.1.0         >=4.6.6 <4.7.0 @jupyterlab/codemirror\n"
)


@pytest.mark.parametrize("app_type", lcc.APP_TYPES)
def test_the_sidebar_listed_ok_is_logged(app_type, stubs):
    done = _run(lcc.lifecycle_script(app_type, "pkg"), stubs["env"], stubs["tmp"])
    assert done.returncode == 0, done.stderr
    assert "labextension\nlist" in (stubs["record"] / "python").read_text()
    log = Path(stubs["env"]["IMAGE_VERSIONS_LOG"]).read_text()
    assert f"the JupyterLab sidebar is enabled and OK: {LAB_OK.strip()}" in log
    assert "WARNING" not in log


@pytest.mark.parametrize(
    "listing, shown",
    [
        (LAB_REFUSED, "jupyter-image-versions v0.1.0 enabled  X (python, jupyter-image-versions)"),
        (LAB_OK.replace("enabled", "disabled"), LAB_OK.replace("enabled", "disabled").strip()),
        ("JupyterLab v4.6.4\n", "not listed"),
    ],
)
def test_a_sidebar_not_listed_ok_is_logged_clearly_and_the_install_stands(listing, shown, stubs):
    (stubs["tmp"] / "lab-listing").write_text(listing)
    done = _run(lcc.lifecycle_script("JupyterLab", "pkg"), stubs["env"], stubs["tmp"])
    assert done.returncode == 0, done.stderr  # the server extension and the CLI still work
    warning = (
        "WARNING: the JupyterLab sidebar is not listed as enabled and OK by "
        f"'jupyter labextension list' ({shown}); run it in the app's terminal"
    )
    assert warning in Path(stubs["env"]["IMAGE_VERSIONS_LOG"]).read_text()
    assert warning in done.stderr
    assert (stubs["prefix"] / "etc/jupyter-image-versions/lifecycle-installed").exists()


def _run(script: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    path = cwd / f"lcc-{uuid.uuid4().hex[:6]}.sh"
    path.write_text(script)
    return subprocess.run(
        ["bash", str(path)], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("app_type", lcc.APP_TYPES)
def test_hostile_install_value_arrives_verbatim_and_runs_nothing(app_type, stubs):
    canary = Path(f"/tmp/pwned-{uuid.uuid4().hex}")
    spec = (
        f"pkg with spaces 'single' \"double\" $(touch {canary}) `touch {canary}` ; touch {canary}"
    )
    done = _run(lcc.lifecycle_script(app_type, spec), stubs["env"], stubs["tmp"])
    assert done.returncode == 0, done.stderr
    pip_args = (stubs["record"] / "pip").read_text().split("\0")[:-1]
    assert pip_args[-1] == spec
    assert pip_args[0] == "install"
    assert not canary.exists()
    marker = stubs["prefix"] / "etc/jupyter-image-versions/lifecycle-installed"
    assert marker.read_text() == spec


TOKEN = "s3cr3t-t0ken"
SECRET_URL = f"https://deploy:{TOKEN}@pypi.example.com/wheels/jupyter_image_versions-0.1.0.whl"


def test_redacted_hides_the_userinfo_of_every_url():
    assert lcc.redacted(SECRET_URL) == (
        "https://***@pypi.example.com/wheels/jupyter_image_versions-0.1.0.whl"
    )
    assert lcc.redacted(f"pkg @ git+https://{TOKEN}@github.com/o/r.git@v1") == (
        "pkg @ git+https://***@github.com/o/r.git@v1"
    )
    assert lcc.redacted("jupyter-image-versions==0.1.0") == "jupyter-image-versions==0.1.0"


@pytest.mark.parametrize("app_type", lcc.APP_TYPES)
def test_credentials_in_the_install_url_are_never_logged(app_type, stubs):
    script = lcc.lifecycle_script(app_type, SECRET_URL)
    path = stubs["tmp"] / "lcc-secret.sh"
    path.write_text(script)
    assert subprocess.run(["bash", "-n", str(path)]).returncode == 0
    lint = subprocess.run(["shellcheck", "--severity=style", str(path)], capture_output=True)
    assert (lint.returncode, lint.stdout) == (0, b"")
    log = Path(stubs["env"]["IMAGE_VERSIONS_LOG"])
    first = _run(script, stubs["env"], stubs["tmp"])
    again = _run(script, stubs["env"], stubs["tmp"])  # the "already installed" path
    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    # pip still gets the real URL; only what is logged is redacted
    assert (stubs["record"] / "pip").read_text().split("\0")[-2] == SECRET_URL
    _stub(stubs["bin"] / "pip", "exit 1\n")  # and the failure message
    (stubs["prefix"] / "etc/jupyter-image-versions/lifecycle-installed").unlink()
    failed = _run(script, stubs["env"], stubs["tmp"])
    assert failed.returncode == 1
    logged = log.read_text()
    assert "installing https://***@pypi.example.com/" in logged
    assert "already installed from https://***@pypi.example.com/" in logged
    assert "FAILED: pip could not install https://***@pypi.example.com/" in logged
    for output in (logged, first.stderr, again.stderr, failed.stderr, first.stdout):
        assert TOKEN not in output


def test_second_run_is_skipped_and_logged(stubs):
    script = lcc.lifecycle_script("JupyterLab", "jupyter-image-versions==0.1.0")
    first = _run(script, stubs["env"], stubs["tmp"])
    assert first.returncode == 0, first.stderr
    (stubs["record"] / "pip").unlink()
    second = _run(script, stubs["env"], stubs["tmp"])
    assert second.returncode == 0
    assert not (stubs["record"] / "pip").exists()  # pip did not run again
    log = Path(stubs["env"]["IMAGE_VERSIONS_LOG"]).read_text()
    assert "installing jupyter-image-versions==0.1.0" in log
    assert "skipped, nothing changed" in log.splitlines()[-1]
    # a different spec is installed again
    third = _run(
        lcc.lifecycle_script("JupyterLab", "jupyter-image-versions==0.2.0"),
        stubs["env"],
        stubs["tmp"],
    )
    assert third.returncode == 0
    assert (stubs["record"] / "pip").read_text().split("\0")[-2] == "jupyter-image-versions==0.2.0"


def test_log_goes_to_stderr_when_the_app_log_is_not_writable(stubs):
    env = stubs["env"] | {"IMAGE_VERSIONS_LOG": "/nonexistent-dir/app_container.log"}
    done = _run(lcc.lifecycle_script("JupyterLab", "pkg"), env, stubs["tmp"])
    assert done.returncode == 0
    assert "jupyter-image-versions lifecycle: installing pkg" in done.stderr


def test_pip_failure_fails_clearly(stubs):
    _stub(Path(stubs["env"]["IMAGE_VERSIONS_PIP"]), "echo 'no matching distribution' >&2\nexit 1\n")
    done = _run(lcc.lifecycle_script("JupyterLab", "nope==9"), stubs["env"], stubs["tmp"])
    assert done.returncode == 1
    assert "FAILED: pip could not install nope==9" in done.stderr
    assert not (stubs["prefix"] / "etc/jupyter-image-versions/lifecycle-installed").exists()


def test_missing_python_fails_clearly(stubs):
    env = stubs["env"] | {"IMAGE_VERSIONS_PYTHON": str(stubs["tmp"] / "no-python")}
    done = _run(lcc.lifecycle_script("JupyterLab", "pkg"), env, stubs["tmp"])
    assert done.returncode == 1
    assert "FAILED: no Python at" in done.stderr


def test_s3_wheel_is_copied_with_the_aws_cli_first(stubs):
    _stub(
        stubs["bin"] / "aws",
        f'printf "%s\\n" "$@" > {stubs["record"]}/aws\ntouch "${{@: -1}}"\n',
    )
    spec = "s3://my-bucket/wheels/jupyter_image_versions-0.1.0-py3-none-any.whl"
    done = _run(lcc.lifecycle_script("JupyterLab", spec), stubs["env"], stubs["tmp"])
    assert done.returncode == 0, done.stderr
    aws = (stubs["record"] / "aws").read_text().splitlines()
    assert aws[:4] == ["s3", "cp", "--only-show-errors", spec]
    local_wheel = aws[4]
    assert local_wheel.endswith("/jupyter_image_versions-0.1.0-py3-none-any.whl")
    assert (stubs["record"] / "pip").read_text().split("\0")[-2] == local_wheel
    assert not Path(local_wheel).exists()  # the temporary copy is cleaned up


def test_jupyter_server_app_restarts_the_server_in_the_background(stubs):
    restarted = stubs["tmp"] / "restarted"
    _stub(stubs["bin"] / "restart-jupyter-server", f"touch {restarted}\n")
    script = lcc.lifecycle_script("JupyterServer", "jupyter-image-versions==0.1.0")
    assert "source /opt/conda/bin/activate studio" in script
    done = _run(script, stubs["env"], stubs["tmp"])
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 10
    while not restarted.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert restarted.exists()
    restarted.unlink()
    again = _run(script, stubs["env"], stubs["tmp"])  # nothing changed: no restart
    assert again.returncode == 0 and "skipped" in again.stderr
    time.sleep(0.3)
    assert not restarted.exists()


def test_jupyterlab_app_does_not_restart(stubs):
    script = lcc.lifecycle_script("JupyterLab", "pkg")
    assert "restart-jupyter-server" not in script
    assert "/opt/conda/bin/python" in script


# -- the real thing: a fresh venv standing in for Studio's /opt/conda -----------------------


@pytest.mark.timeout(600)  # a wheel build (jlpm) beside the other xdist worker
@pytest.mark.slow
@pytest.mark.xdist_group("wheel-build")  # builds the wheel in the checkout, as test_binder does
def test_sandbox_install_enables_the_extension_and_is_idempotent(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("jupyter_image_versions-*.whl")
    env_dir = tmp_path / "conda"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    with zipfile.ZipFile(wheel) as archive:
        has_labextension = any("share/jupyter/labextensions" in n for n in archive.namelist())
    log = tmp_path / "app_container.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "IMAGE_VERSIONS_PYTHON": str(python),
        "IMAGE_VERSIONS_LOG": str(log),
    }
    # HOME is isolated (no user Jupyter config can enable the extension for us), but pip keeps
    # the machine's settings, config file and cache.
    env |= {k: v for k, v in os.environ.items() if k.startswith("PIP_")}
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    user_pip_conf = Path.home() / ".config" / "pip" / "pip.conf"
    if user_pip_conf.is_file():
        env.setdefault("PIP_CONFIG_FILE", str(user_pip_conf))
    if has_labextension:  # Studio's conda has JupyterLab: so must the stand-in
        pip = [str(python), "-m", "pip", "install", "-q", "jupyterlab>=4,<5"]
        subprocess.run(pip, env=env, check=True)
    script = tmp_path / "lcc.sh"
    script.write_text(lcc.lifecycle_script("JupyterLab", str(wheel)))

    first = subprocess.run(["bash", str(script)], env=env, cwd=tmp_path, capture_output=True)
    assert first.returncode == 0, first.stderr.decode()[-3000:]
    listing = _extension_list(env_dir, env)
    assert "jupyter_image_versions enabled" in listing
    assert f"jupyter_image_versions {__version__} OK" in listing
    if has_labextension:
        labs = subprocess.run(
            [str(env_dir / "bin" / "jupyter"), "labextension", "list"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert "jupyter-image-versions" in _plain(labs.stdout + labs.stderr)
        assert "the JupyterLab sidebar is enabled and OK: jupyter-image-versions v" in (
            log.read_text()
        )

    state = _state(env_dir, env)
    second = subprocess.run(["bash", str(script)], env=env, cwd=tmp_path, capture_output=True)
    assert second.returncode == 0, second.stderr.decode()
    assert _state(env_dir, env) == state
    lines = log.read_text().splitlines()
    assert "installing" in lines[0] and "done" in lines[-2]
    assert "skipped, nothing changed" in lines[-1]


def _plain(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _extension_list(env_dir: Path, env: dict) -> str:
    done = subprocess.run(
        [str(env_dir / "bin" / "jupyter"), "server", "extension", "list"],
        env=env,
        capture_output=True,
        text=True,
    )
    return _plain(done.stdout + done.stderr)


def _state(env_dir: Path, env: dict) -> tuple:
    freeze = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "freeze", "--all"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    etc = env_dir / "etc"
    files = {str(p.relative_to(etc)): p.read_bytes() for p in sorted(etc.rglob("*")) if p.is_file()}
    return freeze, files
