#!/usr/bin/env bash
# The PHP SDK's suite, as CI runs it: the unit tests and the journey against the real server
# (tests/JourneyTest.php starts ../testserver.py; set SBM_BIN to a built sbm-crm binary).
set -euo pipefail
cd "$(dirname "$0")"
if [ -x vendor/bin/phpunit ]; then
  exec vendor/bin/phpunit -c phpunit.xml "$@"
fi
exec phpunit -c phpunit.xml "$@"
