#!/usr/bin/env bash
# Install the project and its test tools into .venv, lint, and run the whole test suite:
# pytest, then the sidebar's Galata tests in Debian's Chromium (SKIP_UI_TESTS=1 skips those).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ "${SKIP_UI_TESTS:-0}" != 1 ] && [ ! -x /usr/bin/chromium ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
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
ruff check .
ruff format --check .
python -m pytest "$@"
if [ "${SKIP_UI_TESTS:-0}" != 1 ]; then
  (cd labextension/ui-tests && jlpm install && jlpm playwright test)
fi
