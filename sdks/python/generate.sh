#!/usr/bin/env bash
# Regenerates src/sbmcrm/_generated/<service>/ from ../openapi/<service>.json with the pinned
# openapi-python-client. Deterministic: a re-run writes the same bytes. Never edit the output.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=0.29.1
if [ "$(python3 -c 'import importlib.metadata as m; print(m.version("openapi-python-client"))' 2>/dev/null)" != "$VERSION" ]; then
  python3 -m pip install -q "openapi-python-client==$VERSION"
fi
cfg="$(mktemp)"
trap 'rm -f "$cfg"' EXIT
printf 'post_hooks: []\n' > "$cfg"
mkdir -p src/sbmcrm/_generated
for s in auth point cluster reward notification; do
  rm -rf "src/sbmcrm/_generated/$s"
  python3 -m openapi_python_client generate --path "../openapi/$s.json" --meta none \
    --output-path "src/sbmcrm/_generated/$s" --overwrite --config "$cfg" >/dev/null
done
