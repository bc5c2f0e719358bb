#!/usr/bin/env bash
# The Galata web server: JupyterLab on the local backend with freshly seeded demo data.
set -euo pipefail
cd "$(dirname "$0")"
STATE=$(mktemp -d "${TMPDIR:-/tmp}/iv-ui-tests-XXXXXX")
export JUPYTER_IMAGE_VERSIONS_BACKEND=local
export JUPYTER_IMAGE_VERSIONS_LOCAL_DB="$STATE/state.sqlite"
export JUPYTER_CONFIG_DIR="$STATE/config" JUPYTERLAB_GALATA_ROOT_DIR="$STATE/root"
mkdir -p "$JUPYTERLAB_GALATA_ROOT_DIR"
python -c 'import os
from jupyter_image_versions import ImageVersions
from jupyter_image_versions.demo import seed
iv = ImageVersions.local(os.environ["JUPYTER_IMAGE_VERSIONS_LOCAL_DB"], create_delay=0.05)
seed(iv)'
exec jupyter lab --config jupyter_server_test_config.py
