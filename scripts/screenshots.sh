#!/usr/bin/env bash
# Refresh the sidebar screenshots under docs/ (docs/sidebar-*.png) by running the Galata tests
# with IV_SCREENSHOTS_DIR pointing there (`jlpm run screenshots` in labextension/ui-tests). The test
# suite itself (scripts/test.sh) writes them to labextension/ui-tests/screenshots/, gitignored.
# Needs the environment scripts/test.sh sets up (.venv, Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/../labextension/ui-tests"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# shellcheck disable=SC1091
. ../../.venv/bin/activate
jlpm install >/dev/null
jlpm run screenshots
git -C ../.. status --short docs/
