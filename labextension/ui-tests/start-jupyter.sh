#!/usr/bin/env bash
# The Galata web server: `jupyter image-versions demo` (the local backend with freshly seeded demo
# data) starting JupyterLab with galata's test configuration on the port playwright.config chose.
set -euo pipefail
cd "$(dirname "$0")"
STATE=$(mktemp -d "${TMPDIR:-/tmp}/iv-ui-tests-XXXXXX")
export JUPYTER_CONFIG_DIR="$STATE/config" JUPYTERLAB_GALATA_ROOT_DIR="$STATE/root"
mkdir -p "$JUPYTERLAB_GALATA_ROOT_DIR"
exec jupyter image-versions demo --db "$STATE/state.sqlite" --reset --create-delay 1 \
  --no-browser -- --config=jupyter_server_test_config.py
