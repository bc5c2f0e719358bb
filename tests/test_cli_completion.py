"""Shell completion: the scripts made from the grammar, exercised in bash (`complete -p`, the
completion function on a typed line, `compgen`), and names from the backend (`__complete`)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

import pytest

from jupyter_image_versions import ImageVersions, ImageVersionSpec
from jupyter_image_versions.commands.cli import main
from jupyter_image_versions.commands.completion import LOOKUP_ENV
from jupyter_image_versions.core.backend import BACKEND_ENV, LOCAL_DB_ENV, LOCAL_DELAY_ENV

from .conftest import ROLE

URI = "000000000000.dkr.ecr.us-east-1.amazonaws.com/team/pytorch:2.3-gpu"
PROGRAM = "jupyter-image-versions"


@pytest.fixture
def backend(tmp_path, monkeypatch):
    """A local state with my-image (versions 1 and 2, alias latest) and other-image; a
    `jupyter-image-versions` on PATH that runs this tree's CLI."""
    db = str(tmp_path / "local.sqlite")
    for name, value in ((LOCAL_DB_ENV, db), (LOCAL_DELAY_ENV, "0"), (BACKEND_ENV, "local")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(LOOKUP_ENV, "120")  # a loaded machine may take seconds to list images
    service = ImageVersions.local(db, create_delay=0.0)
    service.endpoint.put_ecr_image("team/pytorch", "2.3-gpu")
    for name in ("my-image", "other-image"):
        service.create_image(name, role_arn=ROLE)
    service.register(ImageVersionSpec("my-image", URI))
    service.register(ImageVersionSpec("my-image", URI, aliases=["latest"], release_notes="2"))
    service.close()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / PROGRAM
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    program.write_text(
        f"#!/bin/sh\nPYTHONPATH={shlex.quote(here)} exec {shlex.quote(sys.executable)}"
        ' -m jupyter_image_versions.commands.cli "$@"\n'
    )
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def script(capsys, shell: str) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def complete(script_path, *lines: str) -> list[list[str]]:
    """What bash's completion function offers after each typed line."""
    body = [f"source {shlex.quote(str(script_path))}"]
    body.append('t() { COMP_LINE="$1"; COMP_POINT=${#1}; COMPREPLY=(); _jupyter_image_versions;')
    body.append(' printf "%s\\n" "${COMPREPLY[*]}"; }')
    body += [f"t {shlex.quote(line)}" for line in lines]
    done = subprocess.run(
        ["bash", "-c", "\n".join(body)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return [line.split() for line in done.stdout.splitlines()]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_choices_and_names(backend, capsys):
    path = backend / "completion.bash"
    path.write_text(script(capsys, "bash"))
    registered = subprocess.run(
        ["bash", "-c", f"source {shlex.quote(str(path))}; complete -p {PROGRAM}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert registered.stdout.strip() == f"complete -F _jupyter_image_versions {PROGRAM}"
    offered = complete(
        path,
        f"{PROGRAM} ",
        f"{PROGRAM} hi",
        f"{PROGRAM} history --l",
        f"{PROGRAM} --backend ",
        f"{PROGRAM} doctor x --app-type K",
        f"{PROGRAM} guidance my-image:1 T",
        f"{PROGRAM} -o y",
        f"{PROGRAM} studio ",
        f"{PROGRAM} history ",
        f"{PROGRAM} show my-image:",
        f"{PROGRAM} delete my-image@l",
        "jupyter ",
        "jupyter image-versions al",
    )
    commands = offered[0]
    assert {"images", "history", "register", "doctor", "completion"} <= set(commands)
    assert "__complete" not in commands  # hidden
    assert offered[1:8] == [
        ["history"],
        ["--limit"],
        ["aws", "local"],
        ["KernelGateway"],
        ["TO_BE_ARCHIVED"],
        ["yaml"],
        ["context", "lcc"],
    ]
    assert offered[8] == ["my-image", "other-image"]  # from the backend
    assert offered[9] == ["2", "1"]  # bash splits words at ':'; the rest of the word
    assert offered[10] == ["my-image@latest"]
    assert offered[11:] == [["image-versions"], ["alias", "aliases"]]

    # compgen with the same function, as readline would call it
    words = subprocess.run(
        [
            "bash",
            "-c",
            f"source {shlex.quote(str(path))}; compgen -W \"$(_jiv_spec ''; echo $subs)\" -- de",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert words.stdout.split() == ["delete", "demo", "detach", "derive"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_the_export_formats_and_import(backend, capsys):
    path = backend / "completion.bash"
    path.write_text(script(capsys, "bash"))
    offered = complete(
        path,
        f"{PROGRAM} export my-image --format terr",
        f"{PROGRAM} export my-image --no-i",
        f"{PROGRAM} export my-image --im",
    )
    assert offered == [["terraform", "terraform-json"], ["--no-import"], ["--import"]]


def test_zsh_and_fish_scripts_name_the_grammar(capsys):
    zsh = script(capsys, "zsh")
    assert zsh.startswith(f"#compdef {PROGRAM} jupyter\n")
    assert f"compdef _jupyter_image_versions {PROGRAM}" in zsh
    assert '"history") opts=' in zsh and "__complete" in zsh
    fish = script(capsys, "fish")
    assert f"complete -c {PROGRAM} -l backend -xa 'aws local'" in fish
    assert "cdk-typescript,terraform,terraform-json'" in zsh and "--import --no-import" in zsh
    assert "cdk-typescript terraform terraform-json'" in fish
    assert (
        f"complete -c {PROGRAM} -n '__fish_seen_subcommand_from history' "
        f"-a '({PROGRAM} __complete images (commandline -ct) 2>/dev/null)'"
    ) in fish
    assert "__fish_seen_subcommand_from studio; and not __fish_seen_subcommand_from" in fish


# zsh's compadd and _files exist only inside its completion widgets: these print what the
# script offers instead (compadd filters by the typed prefix; the stand-in does not).
ZSH_DRIVER = r"""
compdef() { :; }
source "$1"
compadd() { local i=${@[(i)--]}; print -r -- "${(j: :)@[i+1,-1]}" }
_files() { print "<files>" }
shift
for line in "$@"; do
    words=(${(z)line}); [[ $line == *' ' ]] && words+=("")
    CURRENT=${#words}
    print -r -- "$(_jupyter_image_versions | tr '
' ' ')"
done
"""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh (scripts/test.sh installs it)")
def test_zsh_completes_choices_and_names(backend, capsys):
    path = backend / "completion.zsh"
    path.write_text(script(capsys, "zsh"))
    lines = [
        f"{PROGRAM} --backend ",
        f"{PROGRAM} doctor x --app-type ",
        f"{PROGRAM} export x --output ",
        f"{PROGRAM} history ",
        f"{PROGRAM} show my-image:",
        f"{PROGRAM} show my",
        "jupyter image-versions aliases ",
    ]
    done = subprocess.run(
        ["zsh", "-c", ZSH_DRIVER, "zsh", str(path), *lines],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [line.split() for line in done.stdout.splitlines()] == [
        ["aws", "local"],
        ["JupyterLab", "CodeEditor", "KernelGateway"],
        ["<files>"],
        ["my-image", "other-image"],
        ["my-image:2", "my-image:1"],
        ["my-image:", "my-image@"],
        ["my-image", "other-image"],
    ]


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish (scripts/test.sh installs it)")
def test_fish_completes_commands_choices_and_names(backend, capsys):
    path = backend / "completion.fish"
    path.write_text(script(capsys, "fish"))
    lines = [f"{PROGRAM} hi", f"{PROGRAM} --backend ", f"{PROGRAM} history ", f"{PROGRAM} show my-"]
    body = f"source {shlex.quote(str(path))}\n" + "".join(
        f"complete -C {shlex.quote(line)}; echo ==\n" for line in lines
    )
    done = subprocess.run(["fish", "-c", body], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    offered = [
        [row.split("\t")[0] for row in part.strip().splitlines()]
        for part in done.stdout.split("==\n")[:-1]
    ]
    assert offered == [
        ["history"],
        ["aws", "local"],
        ["my-image", "other-image"],
        ["my-image:", "my-image@"],
    ]


def test_hidden_complete_lists_names_and_is_quiet_on_errors(backend, capsys, monkeypatch):
    assert main(["__complete", "targets", "my"]) == 0
    assert capsys.readouterr().out.split() == ["my-image:", "my-image@"]
    assert main(["__complete", "targets", "my-image@"]) == 0
    assert capsys.readouterr().out.split() == ["my-image@latest"]
    assert main(["__complete", "images"]) == 0
    assert capsys.readouterr().out.split() == ["my-image", "other-image"]
    monkeypatch.setenv(LOCAL_DB_ENV, str(backend / "no" / "such" / "dir.sqlite"))
    assert main(["__complete", "images"]) == 0  # a broken backend: nothing, no error
    out, err = capsys.readouterr()
    assert out.strip() == "" and err == ""
    assert main(["completion", "bash", "--json"]) == 2
    assert "--json" in capsys.readouterr().err
