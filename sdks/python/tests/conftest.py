"""One real server per session, started through ../../testserver.py (set SBM_BIN to a built
binary, else target/debug/sbm-crm of the repository is used)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import sbmcrm

TESTSERVER = Path(__file__).resolve().parent.parent.parent / "testserver.py"
POS_SCOPES = ["members:read", "members:write", "points:read", "points:write"]


@pytest.fixture(scope="session")
def server() -> dict:
    proc = subprocess.Popen(
        [sys.executable, str(TESTSERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    line = proc.stdout.readline()
    if not line:
        proc.wait(5)
        pytest.exit(f"testserver.py did not start (exit {proc.returncode})", returncode=1)
    info = json.loads(line)
    yield info
    proc.stdin.close()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def base_url(server: dict) -> str:
    return server["baseUrl"]


@pytest.fixture(scope="session")
def staff(server: dict) -> sbmcrm.Client:
    client = sbmcrm.Client(server["baseUrl"])
    client.login(server["adminEmail"], server["adminPassword"])
    yield client
    client.close()


@pytest.fixture(scope="session")
def pos_key(staff: sbmcrm.Client) -> str:
    created = staff.auth.api_keys_create(
        body={"name": "POS", "scopes": POS_SCOPES, "plan": "standard"}
    )
    assert created.key.startswith("sbmk_")
    return created.key


@pytest.fixture(scope="session")
def pos(base_url: str, pos_key: str) -> sbmcrm.Client:
    client = sbmcrm.Client(base_url, api_key=pos_key)
    yield client
    client.close()


def unique_phone() -> str:
    return f"+66 8{uuid.uuid4().int % 10**8:08d}"


@pytest.fixture()
def member(pos: sbmcrm.Client):
    return pos.auth.members_enrol(body={"firstName": "Ann", "lastName": "Lee", "phone": unique_phone()})


@pytest.fixture()
def anyio_backend() -> str:
    return "asyncio"
