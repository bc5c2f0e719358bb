"""A derivation's request, checked whole before anything is read or pushed; each problem names
its field and the rule."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ..core import awsmodel
from ..core.errors import SpecError
from ..core.spec import alias_problem, parse_ecr_uri
from .resolve import PipOptions

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPTION = re.compile(
    r"(?P<name>--index-url|-i|--extra-index-url|--find-links|-f|--no-index)(?:[ =]+(?P<value>\S+))?"
)


def split_requirements(texts: list[str]) -> tuple[list[str], PipOptions]:
    """Requirement lines and index options of requirements.txt texts (comments dropped)."""
    specs: list[str] = []
    options = PipOptions()
    for text in texts:
        for raw in text.splitlines():
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            match = _OPTION.fullmatch(line)
            if match is None:
                specs.append(line)
                continue
            name, value = match["name"], match["value"] or ""
            if name == "--no-index":
                options.no_index = True
            elif name in ("--index-url", "-i"):
                options.index_url = value
            elif name == "--extra-index-url":
                options.extra_index_urls.append(value)
            else:
                options.find_links.append(value)
    return specs, options


@dataclass
class DeriveRequest:
    """What to derive: the base (a version, or an ECR URI), what to add, where to push."""

    tag: str
    image_name: str | None = None
    version: int | None = None
    alias: str | None = None
    base_image: str | None = None
    pip: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)  # requirement files
    requirements_text: str = ""
    files: list[tuple[str, str]] = field(default_factory=list)  # (local path, path in image)
    env: list[str] = field(default_factory=list)
    repository: str | None = None
    python: str | None = None
    allow_upgrade: bool = False
    dry_run: bool = False
    register: bool = False
    new_alias: str | None = None
    force: bool = False
    pip_options: PipOptions = field(default_factory=PipOptions)

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        tag_shape = awsmodel.input_shape("ecr", "PutImage", "imageTag")
        problem = awsmodel.string_problem(tag_shape, self.tag)
        if problem or not re.fullmatch(r"[\w][\w.-]*", self.tag or ""):
            found["tag"] = problem or (
                f"tag {self.tag!r} must start with a letter, digit or _ and hold only those, "
                "'.' and '-'"
            )
        if self.repository is not None:
            repo_shape = awsmodel.input_shape("ecr", "CreateRepository", "repositoryName")
            problem = awsmodel.string_problem(repo_shape, self.repository)
            if problem:
                found["repository"] = problem
        if (self.image_name is None) == (self.base_image is None):
            found["target"] = (
                "must be an image version (IMAGE:VERSION, IMAGE@ALIAS) or an ECR image URI"
            )
        elif self.base_image is not None and parse_ecr_uri(self.base_image) is None:
            found["target"] = f"{self.base_image!r} is not an ECR image URI"
        if not (
            self.pip
            or self.requirements
            or self.requirements_text.strip()
            or self.files
            or self.env
        ):
            found["pip"] = (
                "hold nothing to add: give a package (--pip SPEC), a requirements file "
                "(--requirements FILE), a file (--file) or an environment variable (--env)"
            )
        for local in self.requirements:
            if not os.path.isfile(local):
                found["requirements"] = f"--requirements {local}: no such file"
        if "requirements" not in found:
            options = [r for r in self.all_requirements() if r.startswith("-")]
            if options:
                found["pip"] = (
                    f"take only the --index-url, --extra-index-url, --find-links and --no-index "
                    f"options, each on its own line, not {options[0]!r}"
                )
        for local, path in self.files:
            if not os.path.isfile(local):
                found["file"] = f"--file {local}:{path}: {local} is not a file"
            elif not path.startswith("/") or ".." in path.split("/") or path.endswith("/"):
                found["file"] = f"--file {local}:{path}: the path in the image must be absolute"
        for item in self.env:
            name, sep, _ = item.partition("=")
            if not sep or not _ENV_NAME.fullmatch(name):
                found["env"] = f"--env {item!r} must be NAME=VALUE with NAME of letters, digits, _"
        if self.new_alias is not None:
            if not self.register:
                found["alias"] = "--alias needs --register"
            else:
                problem = alias_problem(self.new_alias)
                if problem:
                    found["alias"] = problem
        if self.register and self.image_name is None:
            found["register"] = (
                "--register needs an image version as TARGET (IMAGE:VERSION or IMAGE@ALIAS)"
            )
        return found

    def validate(self) -> DeriveRequest:
        problems = self.problems()
        if problems:
            raise SpecError(problems)
        return self

    def all_requirements(self) -> list[str]:
        """--pip, the requirement lines of the text and the files (options lines left out)."""
        return list(self.pip) + split_requirements(self._texts())[0]

    def options(self) -> PipOptions:
        """The index options given, and those in the requirements text and files
        (`--index-url`, `--extra-index-url`, `--find-links`, `--no-index` lines)."""
        found = split_requirements(self._texts())[1]
        base = self.pip_options
        return PipOptions(
            base.index_url or found.index_url,
            [*base.extra_index_urls, *found.extra_index_urls],
            [*base.find_links, *found.find_links],
            base.no_index or found.no_index,
            base.cwd,
        )

    def _texts(self) -> list[str]:
        texts = [self.requirements_text]
        for name in self.requirements:
            with open(name, encoding="utf-8") as handle:
                texts.append(handle.read())
        return texts

    def describe(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "repository": self.repository,
            "pip": self.all_requirements(),
            "files": [f"{a}:{b}" for a, b in self.files],
            "env": list(self.env),
        }
