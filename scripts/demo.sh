#!/usr/bin/env bash
# Try the CLI on the embedded local endpoint, with demo data; no AWS account needed.
set -euo pipefail
export JUPYTER_IMAGE_VERSIONS_BACKEND=local
export JUPYTER_IMAGE_VERSIONS_LOCAL_DB="${JUPYTER_IMAGE_VERSIONS_LOCAL_DB:-$PWD/demo-state.sqlite}"
python -c 'from jupyter_image_versions import ImageVersions; from jupyter_image_versions.demo import seed; seed(ImageVersions.local(create_delay=0.3))'
set -x
jupyter image-versions images
jupyter image-versions history pytorch-training
jupyter image-versions show pytorch-training@latest
