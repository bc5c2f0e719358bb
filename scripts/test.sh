#!/usr/bin/env bash
# Install the project and everything its tests need (.venv, node packages, Debian's chromium and
# shellcheck), lint, and run the whole test suite: pytest (extra arguments go to it), then the
# Galata browser tests (SKIP_UI_TESTS=1 skips those).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
# shellcheck lints the generated Studio lifecycle configurations (tests/test_lcc.py); chromium
# runs the Galata tests.
APT_PACKAGES=()
command -v shellcheck >/dev/null 2>&1 || APT_PACKAGES+=(shellcheck)
if [ "${SKIP_UI_TESTS:-0}" != 1 ] && [ ! -x /usr/bin/chromium ]; then APT_PACKAGES+=(chromium); fi
if [ ${#APT_PACKAGES[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${APT_PACKAGES[@]}"
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q --upgrade pip
# An earlier run's `labextension develop` link: unlink it, or pip would (un)install the shared
# data through it, into the build output itself.
LINK=.venv/share/jupyter/labextensions/jupyter-image-versions
if [ -L "$LINK" ]; then rm "$LINK"; fi
rm -f jupyter_image_versions/labextension/install.json
# The build hook builds labextension/ with jlpm (from the build environment's jupyterlab).
python -m pip install -q -e ".[test]"
# Editable install: JupyterLab serves labextension's build output directly; rebuild it now.
jupyter labextension develop --overwrite . >/dev/null
(cd labextension && jlpm install && jlpm build && jlpm lint:check)
# TypeScript and aws-cdk-lib's types for tests/test_export.py (tsc), into a gitignored folder;
# skipped when already there.
if [ ! -x tests/.cdk-ts/node_modules/.bin/tsc ] || [ ! -d tests/.cdk-ts/node_modules/aws-cdk-lib ]; then
  npm install --prefix tests/.cdk-ts --no-audit --no-fund --silent \
    typescript@7 aws-cdk-lib@2 constructs@10
fi
ruff check .
ruff format --check .
python -m pytest "$@"
if [ "${SKIP_UI_TESTS:-0}" != 1 ]; then
  (cd labextension/ui-tests && jlpm install && jlpm playwright test)
fi
