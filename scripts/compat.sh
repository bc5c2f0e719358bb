#!/usr/bin/env bash
# The supported range, its oldest and newest ends (issue 24): scripts/test.sh's `compat` stage.
#
# Builds the wheel once from the checkout (into a temporary directory outside the tree) and
# installs it in two fresh virtual environments, also outside the tree:
#   old  Python 3.10 with JupyterLab 4.0.8 (SageMaker Distribution 1.2.0's pair) and the
#        ipywidgets 8.1.1 / jupyterlab_widgets 3.0.9 of its time
#   new  Python 3.13 with the newest JupyterLab 4
# In each: `jupyter labextension list` and `jupyter server extension list` must show the extension
# enabled and OK (no X, nothing "not compatible"), and the Python tests that use the local endpoint
# run against the installed wheel (a copy of tests/ outside the tree, so the checkout's source is
# not what they import). On the old one also the Galata smoke (labextension/ui-tests/tests/
# smoke.spec.ts: the sidebar lists the demo's history, the main-area history opens, no page error,
# no "Unsatisfied version" warning) and a type check of labextension/src against JupyterLab
# 4.0.8's packages (labextension/compat-types).
#
# The Pythons: COMPAT_PYTHON_OLD and COMPAT_PYTHON_NEW, else python3.10 / python3.13 on PATH, else
# pyenv's. Run from scripts/test.sh (the .venv active: pip, jlpm, node); SKIP_COMPAT=1 skips it.
# shellcheck disable=SC2317  # (the functions run through `run`, in the background)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=${LOGS:-$ROOT/.test-logs}
mkdir -p "$LOGS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/iv-compat-XXXXXX")
# on the way out (a failure too): stop what still runs in the background, then clean up
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

OLD_PINS=("jupyterlab==4.0.8" "ipywidgets==8.1.1" "jupyterlab_widgets==3.0.9")
NEW_PINS=("jupyterlab>=4,<5")
# the test extra's tools that these tests use (the extra itself pins the JupyterLab of the suite)
TEST_TOOLS=(pytest pytest-timeout pytest-xdist "pytest-jupyter[server]>=0.10" "jsonschema>=4.18")
TESTS=(
  tests/test_ecr_blobs_local.py tests/test_ecr_layers_local.py tests/test_local_endpoint.py
  tests/test_doctor.py tests/test_doctor_front_ends.py tests/test_service_local.py
  tests/test_server_api.py
)

find_python() { # find_python VERSION [GIVEN]: a python of that minor version that runs, or fail
  local version=$1 given=${2:-} candidate
  for candidate in "$given" "$(command -v "python$version" || true)" \
    "$(find "${PYENV_ROOT:-$HOME/.pyenv}/versions" -maxdepth 3 -path "*/$version.*/bin/python" \
      2>/dev/null | sort -V | tail -n 1)"; do
    # (pyenv's shim is on PATH for every version, and fails for those not selected)
    if [ -n "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1; then
      echo "$candidate"
      return
    fi
  done
  echo "compat: no Python $version (set COMPAT_PYTHON_OLD/NEW, or SKIP_COMPAT=1)" >&2
  return 1
}

# prepare NAME PYTHON PINS...: a fresh venv with the pinned JupyterLab and the test tools
prepare() {
  local name=$1 python=$2
  shift 2
  "$python" -m venv "$WORK/$name"
  "$WORK/$name/bin/python" -m pip install -q --upgrade pip
  "$WORK/$name/bin/python" -m pip install -q "$@" "${TEST_TOOLS[@]}"
}

# install_wheel NAME PINS...: the wheel (the pins again, so pip keeps them); both extension lists
install_wheel() {
  local name=$1 env="$WORK/$1" listing
  shift
  "$env/bin/python" -m pip install -q "$WORK"/dist/jupyter_image_versions-*.whl "$@"
  export JUPYTER_CONFIG_DIR="$env/user-config" JUPYTER_DATA_DIR="$env/user-data"
  "$env/bin/python" -c 'import sys, jupyterlab; print("Python", sys.version.split()[0],
    "JupyterLab", jupyterlab.__version__)'
  listing=$("$env/bin/jupyter" labextension list 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
  echo "$listing" | grep -E 'JupyterLab v|jupyter-image-versions'
  if ! grep -qE 'jupyter-image-versions v[^ ]+ enabled +OK' <<<"$listing" ||
    grep -q 'jupyter-image-versions.*not compatible' <<<"$listing"; then
    echo "$listing"
    echo "compat ($name): the lab extension is not listed enabled and OK" >&2
    return 1
  fi
  listing=$("$env/bin/jupyter" server extension list 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
  grep -E 'jupyter_image_versions' <<<"$listing"
  if ! grep -qE 'jupyter_image_versions +enabled' <<<"$listing" ||
    ! grep -qE 'jupyter_image_versions [0-9][^ ]* +OK' <<<"$listing"; then
    echo "$listing"
    echo "compat ($name): the server extension is not listed enabled and OK" >&2
    return 1
  fi
}

# tests NAME: the local-endpoint tests against the installed wheel
tests() {
  local env="$WORK/$1"
  # that environment first on PATH, for anything the tests start by name
  export JUPYTER_CONFIG_DIR="$env/user-config" JUPYTER_DATA_DIR="$env/user-data"
  export VIRTUAL_ENV="$env" PATH="$env/bin:$PATH"
  mkdir -p "$env/run"
  cp -r tests pyproject.toml "$env/run/"
  (cd "$env/run" && "$env/bin/python" -m pytest -p no:cacheprovider -q -n 2 --dist loadgroup \
    "${TESTS[@]}")
}

smoke() {
  local env="$WORK/old" jlpm
  jlpm=$(command -v jlpm) # the suite's: the old environment has JupyterLab 4.0's own jlpm
  (
    cd labextension/ui-tests
    jlpm install >"$LOGS/compat-ui-install.log" 2>&1 ||
      { tail -n 40 "$LOGS/compat-ui-install.log"; return 1; }
    PATH="$env/bin:$PATH" JUPYTER_CONFIG_DIR="$env/user-config" \
      JUPYTER_DATA_DIR="$env/user-data" "$jlpm" playwright test tests/smoke.spec.ts
  )
}

types() {
  (
    cd labextension/compat-types
    jlpm install >"$LOGS/compat-types-install.log" 2>&1 ||
      { tail -n 40 "$LOGS/compat-types-install.log"; return 1; }
    jlpm tsc --noEmit -p .
  )
}

# run NAME COMMAND...: COMMAND in the background, its output to .test-logs/compat-NAME.log
declare -A PIDS=()
run() {
  local name=$1
  shift
  "$@" >"$LOGS/compat-$name.log" 2>&1 &
  PIDS[$name]=$!
}
# wait_all NAMES...: wait for each; show the log of a failed one; fail if any failed
wait_all() {
  local name failed=0
  for name in "$@"; do
    if wait "${PIDS[$name]}"; then
      echo "-- $name: ok"
    else
      echo "-- $name: FAILED (.test-logs/compat-$name.log):"
      tail -n 60 "$LOGS/compat-$name.log"
      failed=1
    fi
  done
  return "$failed"
}

OLD_PYTHON=$(find_python 3.10 "${COMPAT_PYTHON_OLD:-}")
NEW_PYTHON=$(find_python 3.13 "${COMPAT_PYTHON_NEW:-}")

# The wheel, the two environments and the 4.0 types at once (mostly downloads and waits).
run wheel python -m pip wheel -q --no-deps -w "$WORK/dist" "$ROOT"
run prepare-old prepare old "$OLD_PYTHON" "${OLD_PINS[@]}"
run prepare-new prepare new "$NEW_PYTHON" "${NEW_PINS[@]}"
run types types
wait_all wheel prepare-old prepare-new
run install-old install_wheel old "${OLD_PINS[@]}"
run install-new install_wheel new "${NEW_PINS[@]}"
wait_all install-old install-new
# then the tests (mostly waiting on servers and clocks) and the smoke side by side
run tests-old tests old
run tests-new tests new
run smoke smoke
status=0
wait_all tests-old tests-new smoke types || status=1
for name in old new; do
  echo "== $name"
  grep -E '^Python|JupyterLab v|jupyter-image-versions v|jupyter_image_versions [0-9e]' \
    "$LOGS/compat-install-$name.log"
  grep -E '[0-9]+ (passed|failed)' "$LOGS/compat-tests-$name.log"
done
echo "== smoke (JupyterLab 4.0.8)"
grep -E '[0-9]+ (passed|failed)' "$LOGS/compat-smoke.log"
exit "$status"
