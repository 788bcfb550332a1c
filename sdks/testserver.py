"""The real platform for the SDKs' integration suites.

`python3 sdks/testserver.py` starts the `sbm-crm` binary on embedded SQLite in a fresh
temporary directory, on a free port, next to the WeChat stand-in of the fuzz suite (so members
can log in), waits until it is ready, prints one JSON line and keeps both running until its
standard input closes (or it gets SIGTERM or SIGINT):

    {"baseUrl": "http://127.0.0.1:PORT", "adminEmail": "...", "adminPassword": "...",
     "log": "/tmp/.../server.log"}

The binary is `$SBM_BIN`, else `$CARGO_TARGET_DIR/debug/sbm-crm`, else `target/debug/sbm-crm`
(build it with `cargo build -p sbm-crm`). Each suite (node --test, pytest, phpunit) starts one
and reads that line, so the three share this one launcher. `SDK_TEST_CORS_ORIGINS` lists the
origins whose pages may call it from a browser.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
import wechat_stub  # noqa: E402

ADMIN_EMAIL = "sdk-admin@example.com"
ADMIN_PASSWORD = "sdk-admin-password-1"


def binary() -> str:
    if os.environ.get("SBM_BIN"):
        return os.environ["SBM_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR") or str(ROOT / "target")
    return str(Path(target) / "debug" / "sbm-crm")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    exe = binary()
    if not os.access(exe, os.X_OK):
        print(f"testserver: no server binary at {exe} (cargo build -p sbm-crm, or set SBM_BIN)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="sbm-sdk-"))
    stub = ThreadingHTTPServer(("127.0.0.1", 0), wechat_stub.Handler)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SBM_")}
    env.update(
        SBM_LISTEN=f"127.0.0.1:{port}",
        SBM_DATA_DIR=str(work / "data"),
        SBM_BOOTSTRAP_ADMIN_EMAIL=ADMIN_EMAIL,
        SBM_BOOTSTRAP_ADMIN_PASSWORD=ADMIN_PASSWORD,
        SBM_COOKIE_SECURE="false",
        SBM_METRICS_LISTEN="off",
        SBM_SHUTDOWN_DRAIN_SECONDS="0",
        SBM_WECHAT_BASE_URL=f"http://127.0.0.1:{stub.server_address[1]}",
        SBM_WECHAT_APP_ID="wx-sdk",
        SBM_WECHAT_APP_SECRET="wx-sdk-secret",
        SBM_LOG_FORMAT="json",
        # Pages that may call it from a browser (the JS SDK's browser test serves one).
        SBM_CORS_ALLOWED_ORIGINS=os.environ.get("SDK_TEST_CORS_ORIGINS", ""),
    )
    log_path = work / "server.log"
    log = open(log_path, "wb")
    server = subprocess.Popen([exe, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)

    def stop(*_):
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        stub.shutdown()
        if os.environ.get("SBM_SDK_KEEP_LOG") is None:
            shutil.rmtree(work, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
            print("testserver: the server exited before it was ready", file=sys.stderr)
            return 1
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            print("testserver: the server was not ready within 60 s", file=sys.stderr)
            stop()
        time.sleep(0.1)
    line = {"baseUrl": base, "adminEmail": ADMIN_EMAIL, "adminPassword": ADMIN_PASSWORD, "log": str(log_path)}
    print(json.dumps(line), flush=True)
    sys.stdin.read()  # until the suite closes our stdin (or exits)
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
