#!/usr/bin/env bash
# Install the project and its test tools into .venv, lint, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# tests/test_lcc.py lints the generated Studio lifecycle configurations with shellcheck.
if ! command -v shellcheck >/dev/null 2>&1; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -q && $SUDO apt-get install -y -q shellcheck
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e ".[test]"
# TypeScript and aws-cdk-lib's types for tests/test_export.py (tsc), into a gitignored folder;
# skipped when already there.
if [ ! -x tests/.cdk-ts/node_modules/.bin/tsc ] || [ ! -d tests/.cdk-ts/node_modules/aws-cdk-lib ]; then
  npm install --prefix tests/.cdk-ts --no-audit --no-fund --silent \
    typescript@7 aws-cdk-lib@2 constructs@10
fi
ruff check .
ruff format --check .
python -m pytest "$@"
