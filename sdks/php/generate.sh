#!/usr/bin/env bash
# Regenerates generated/<Service>/ (namespace SbmCrm\Generated\<Service>) from ../openapi/*.json
# with the pinned openapi-generator (php-nextgen). Nothing under generated/ is edited by hand.
# The output is deterministic: running this twice gives byte-identical files.
set -euo pipefail
cd "$(dirname "$0")"
GENERATOR_VERSION=7.26.0
if [ "$(openapi-generator-cli version 2>/dev/null | tail -n 1)" != "$GENERATOR_VERSION" ]; then
  python3 -m pip install -q "openapi-generator-cli==$GENERATOR_VERSION"
fi
# Only what the generated Api classes use at run time: no docs, tests, composer.json, README...
SUPPORT=ApiException.php:Configuration.php:HeaderSelector.php:ObjectSerializer.php:FormDataProcessor.php:ModelInterface.php:OneOfInterface.php:AnyOfInterface.php
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf generated
mkdir -p generated
for service in auth point cluster reward notification; do
  name="$(echo "${service:0:1}" | tr a-z A-Z)${service:1}"
  openapi-generator-cli generate -q -g php-nextgen \
    -i "../openapi/$service.json" -o "$work/$service" \
    --global-property "apis,models,supportingFiles=$SUPPORT,apiTests=false,modelTests=false,apiDocs=false,modelDocs=false" \
    --additional-properties "invokerPackage=SbmCrm\\Generated\\$name,srcBasePath=src,variableNamingConvention=camelCase,hideGenerationTimestamp=true" \
    >"$work/$service.log" 2>&1 || { cat "$work/$service.log" >&2; exit 1; }
  mv "$work/$service/src" "generated/$name"
done
echo "php: generated/ written by openapi-generator $GENERATOR_VERSION"
