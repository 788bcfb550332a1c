#!/usr/bin/env bash
# Regenerates src/generated/ from ../openapi/*.json with the pinned @hey-api/openapi-ts
# (package.json), then the list of idempotent operations. Part of ../generate.sh.
set -euo pipefail
cd "$(dirname "$0")"
# The generator version package.json pins, else a fresh install of the locked tree.
pinned=$(node -p "require('./package.json').devDependencies['@hey-api/openapi-ts']")
installed=$(node -p "try { require('./node_modules/@hey-api/openapi-ts/package.json').version } catch { '' }")
[ "$pinned" = "$installed" ] || npm ci --no-audit --no-fund --silent
rm -rf src/generated
# Its one warning (reward's `value` union is not walked for dates: it holds none) is dropped.
node_modules/.bin/openapi-ts > /dev/null 2> >(grep -v 'Transformers warning' >&2)
node scripts/operations.mjs
