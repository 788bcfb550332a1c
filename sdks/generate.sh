#!/usr/bin/env bash
# Regenerates the three SDKs from the server's OpenAPI documents, the one command to run after
# an API change:
#   bash sdks/generate.sh           the documents (`sbm-crm openapi <service>`), then each SDK's
#                                   generated code (sdks/{js,python,php}/generate.sh)
#   bash sdks/generate.sh --check   the same, then fails when anything under sdks/ differs from
#                                   what is committed (CI's stale-SDK check)
# SBM_BIN names a built server binary; without it the binary is built first.
set -euo pipefail
case "${SBM_BIN:-}" in "" | /*) ;; *) SBM_BIN="$PWD/$SBM_BIN" ;; esac
cd "$(dirname "$0")"
SDKS=$PWD
if [ -z "${SBM_BIN:-}" ]; then
  (cd .. && cargo build -q -p sbm-crm)
  SBM_BIN="$(cd .. && echo "${CARGO_TARGET_DIR:-$PWD/target}")/debug/sbm-crm"
fi
for service in auth point cluster reward notification; do
  "$SBM_BIN" openapi "$service" > "openapi/$service.json.tmp"
  mv "openapi/$service.json.tmp" "openapi/$service.json"
done
for sdk in js python php; do
  echo "generating the $sdk SDK"
  bash "$SDKS/$sdk/generate.sh"
done
if [ "${1:-}" = "--check" ]; then
  # Against the index: what is committed, or staged for the next commit.
  untracked=$(git ls-files --others --exclude-standard -- .)
  if ! git diff --quiet -- . || [ -n "$untracked" ]; then
    git diff --stat -- . | tail -n 20
    [ -z "$untracked" ] || { echo "new files:"; echo "$untracked" | head -n 20; }
    echo "sdks: the committed SDKs are stale against the OpenAPI documents; run bash sdks/generate.sh and commit" >&2
    exit 1
  fi
  echo "sdks: the committed SDKs match the OpenAPI documents"
fi
