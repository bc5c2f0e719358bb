"""Shell completion: `completion bash|zsh|fish` prints a script made from the grammar itself
(parser.py's `build_parser`, walked here), and the hidden `__complete images|targets PREFIX`
that the scripts run for names from the current backend.

The walk gives, per command path ("", "history", "studio lcc"), its options, which options take
a value and what kind (words, files, images, free), its subcommands and its positionals' kinds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import threading
from typing import Any

from .base import Context, Outcome, UsageError
from .completion_scripts import HIDDEN, Command, bash_script, fish_script, zsh_script
from .output import machine_readable

SHELLS = ("bash", "zsh", "fish")
POSITIONAL_KINDS = {
    "image": "images",
    "target": "targets",
    "target_a": "targets",
    "target_b": "targets",
}
# __complete gives up after this many seconds (completion must stay quick); the variable
# changes it (tests on a loaded machine give it time).
LOOKUP_SECONDS = 5.0
LOOKUP_ENV = "JUPYTER_IMAGE_VERSIONS_COMPLETE_SECONDS"
_WORDS = re.compile(r"[A-Z][A-Z_]*(?:\s*\|\s*[A-Z][A-Z_]*)+")
_HELP_WORDS = re.compile(r"(?:^|: )([A-Z][A-Z_]*(?: \| [A-Z][A-Z_]*)+)$")


def _value_kind(action: argparse.Action) -> str:
    """'words:A,B', 'files', or 'free' for what an option or positional takes."""
    if action.choices and not isinstance(action, argparse._SubParsersAction):
        return "words:" + ",".join(str(c) for c in action.choices)
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    if _WORDS.fullmatch(metavar):
        return "words:" + ",".join(w.strip() for w in metavar.split("|"))
    found = _HELP_WORDS.search(action.help or "") if action.help != argparse.SUPPRESS else None
    if found:
        return "words:" + ",".join(w.strip() for w in found[1].split("|"))
    if metavar == "FILE" or action.dest == "db":
        return "files"
    return "free"


def walk(parser: argparse.ArgumentParser, path: str = "", help: str = "") -> list[Command]:
    """Every command path of the grammar, the root first."""
    command = Command(path, help)
    found = [command]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                if name not in helps:  # hidden (no help), like __complete
                    continue
                command.subcommands[name] = helps[name]
                found += walk(sub, f"{path} {name}".strip(), helps[name])
        elif action.option_strings:
            if action.help == argparse.SUPPRESS:
                continue
            command.options += [o for o in action.option_strings if o.startswith("--")]
            if action.nargs != 0:
                for name in action.option_strings:
                    command.values[name] = _value_kind(action)
        else:
            kind = POSITIONAL_KINDS.get(action.dest) or _value_kind(action)
            command.positionals.append(kind)
    return found


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script of `shell` for this grammar."""
    commands = walk(parser)
    return {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[shell](commands)


def candidates(service: Any, kind: str, prefix: str) -> list[str]:
    """Image names, or IMAGE:VERSION / IMAGE@ALIAS of the image named before ':' or '@'."""
    if kind == "images" or not re.search(r"[:@]", prefix):
        names = sorted(i.name for i in service.images() if i.name.startswith(prefix))
        return names if kind == "images" else [f"{n}:" for n in names] + [f"{n}@" for n in names]
    image, mark, _ = re.split(r"([:@])", prefix, maxsplit=1)
    if mark == "@":
        return [f"{image}@{alias}" for alias in sorted(service.aliases(image))]
    page = service.history_page(image, limit=50)
    return [f"{image}:{v.version}" for v in page.versions]


def cmd_complete(args: argparse.Namespace, ctx: Context) -> None:
    """Print the candidates one a line; nothing (and status 0) when they are not quick."""
    found: list[str] = []

    def look() -> None:
        with contextlib.suppress(Exception):  # completion never shows an error
            found.extend(candidates(ctx.service, args.kind, args.prefix))

    worker = threading.Thread(target=look, daemon=True)
    worker.start()
    try:
        seconds = float(os.environ.get(LOOKUP_ENV) or LOOKUP_SECONDS)
    except ValueError:
        seconds = LOOKUP_SECONDS
    worker.join(seconds)
    if not worker.is_alive():
        print("\n".join(c for c in found if c.startswith(args.prefix)))
    sys.stdout.flush()


INSTALL = """install:
  bash  add to ~/.bashrc:   eval "$(jupyter image-versions completion bash)"
        or save it:         jupyter image-versions completion bash \\
                              > ~/.local/share/bash-completion/completions/jupyter-image-versions
  zsh   add to ~/.zshrc (after compinit):   eval "$(jupyter image-versions completion zsh)"
        or save it in $fpath as _jupyter-image-versions
  fish  jupyter image-versions completion fish \\
          > ~/.config/fish/completions/jupyter-image-versions.fish

It completes subcommands, options, their choices, and image names, IMAGE:VERSION and
IMAGE@ALIAS from the current backend (--backend/--endpoint-url on the line are used)."""


def cmd_completion(args: argparse.Namespace, ctx: Context) -> Any:
    if machine_readable(args):
        raise UsageError("completion prints a shell script; --json/--output/--query do not apply")
    text = script(args.shell, args.grammar)  # the parser that parsed this (build_parser)
    return Outcome(text, text, text)


def add_commands(sub: Any, magic: bool) -> None:
    """Add `completion` and the hidden `__complete` (CLI only: a kernel has no shell)."""
    if magic:
        return
    p = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh, fish)",
        epilog=INSTALL,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=SHELLS, help="the shell")
    p.set_defaults(func=cmd_completion)
    p = sub.add_parser(HIDDEN)  # no help: left out of --help
    p.add_argument("kind", choices=("images", "targets"))
    p.add_argument("prefix", nargs="?", default="")
    p.set_defaults(func=cmd_complete)
