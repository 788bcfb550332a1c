#!/usr/bin/env bash
# CI entry point: installs the SDK with its test extra and runs the integration suite against
# the real server (../testserver.py; set SBM_BIN to a built sbm-crm, else target/debug/sbm-crm).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install -q -e '.[test]'
python3 -m pytest -q "$@"
