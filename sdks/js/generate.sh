#!/usr/bin/env bash
# Regenerates src/generated/ from ../openapi/*.json with the pinned @hey-api/openapi-ts
# (package.json), then the list of idempotent operations. Part of ../generate.sh.
set -euo pipefail
cd "$(dirname "$0")"
[ -x node_modules/.bin/openapi-ts ] || npm ci --no-audit --no-fund --silent
rm -rf src/generated
# Its one warning (reward's `value` union is not walked for dates: it holds none) is dropped.
node_modules/.bin/openapi-ts > /dev/null 2> >(grep -v 'Transformers warning' >&2)
node scripts/operations.mjs
