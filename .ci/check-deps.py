#!/usr/bin/env python3
"""Fails when a crate breaks the written dependency direction (docs/architecture.md):

    common <- auth <- cluster <- point <- reward;  notification <- common only

- a service crate may depend only on services to its left, and only on their domain
  (`default-features = false`, never the `http` feature);
- `sbm-common` depends on no service; the operator links services' domains only;
- only the server binary (`sbm-crm`) links the services' HTTP layers.
"""
import json
import subprocess
import sys

ORDER = ["sbm-common", "sbm-auth", "sbm-cluster", "sbm-point", "sbm-reward"]
SERVICES = set(ORDER[1:]) | {"sbm-notification"}
DOMAIN_ONLY = {"sbm-operator"}  # may link services, domain only
HTTP_ALLOWED = {"sbm-crm"}      # the one binary that mounts every service

meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--no-deps"]))
errors = []
for pkg in meta["packages"]:
    name = pkg["name"]
    for dep in pkg["dependencies"]:
        target = dep["name"]
        if target not in SERVICES or dep["kind"] == "dev":
            continue
        wants_http = dep["uses_default_features"] or "http" in dep["features"]
        if name == "sbm-common":
            errors.append(f"sbm-common must not depend on a service ({target})")
        elif name == "sbm-notification":
            errors.append(f"sbm-notification depends on common only; it learns about {target} through events")
        elif name in SERVICES:
            if target == "sbm-notification" or ORDER.index(target) >= ORDER.index(name):
                errors.append(
                    f"{name} -> {target} points against the direction {' <- '.join(o[4:] for o in ORDER)}: "
                    "send an outbox event instead")
            elif wants_http:
                errors.append(f"{name} links {target}'s HTTP layer: use default-features = false (domain only)")
        elif name in DOMAIN_ONLY and wants_http:
            errors.append(f"{name} links {target}'s HTTP layer: use default-features = false (domain only)")
        elif name not in DOMAIN_ONLY | HTTP_ALLOWED and wants_http:
            errors.append(f"{name} links {target}'s HTTP layer; only sbm-crm may")

if errors:
    print("dependency direction violated:")
    for e in errors:
        print("  - " + e)
    sys.exit(1)
print("dependency direction: ok")
