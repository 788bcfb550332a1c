#!/usr/bin/env python3
"""Fault suite: the server under concurrent load while its process, Redis or PostgreSQL fails.

    python3 tests/fault/run.py               # every scenario
    python3 tests/fault/run.py kill9 sigterm # some of them (letters a-d work too)

Scenarios (each prints PASS or FAIL with its numbers; the exit code is 1 if any failed):
  a kill9     `kill -9` the server mid-load (three times), restart it.
  b redis     kill Redis under load and restart it, then hang it (SIGSTOP) and resume it:
              requests keep succeeding (the rate limiter falls back to its in-process twin),
              the limiter goes back to Redis; latency in each phase is reported.
  c postgres  `pg_ctl restart -m fast` under load, then a 2 s outage (stop, wait, start): no
              500 ever, only 503 (or success) while PostgreSQL is away, recovery without a
              server restart.
  d sigterm   SIGTERM under load: /readyz turns 503 while the server keeps serving (drain),
              requests already sent complete, uploads still in flight when the listener
              closes complete, exit 0 within the grace period.

After each scenario the ledger is checked: every acknowledged (2xx) earn or spend is in
`point_transactions`; each balance equals the sum of its entries and of its live lots (as
`assert_ledger_consistent` in services/server/tests/api/point.rs); every acknowledged request
sent again with its Idempotency-Key replays the same transaction; every request whose outcome
the client never learnt (connection cut, 5xx) sent again with its key completes exactly once.

Everything runs on this machine, on ports nobody else uses: a private PostgreSQL cluster
(initdb in a temp dir, run as the `postgres` user, trust auth) and a private Redis, so the
suite may kill them freely; the shared ones on 5432/6379 are never touched. Needs root (to run
PostgreSQL as `postgres`), PostgreSQL's server binaries, redis-server and the sbm-crm binary
(SBM_BIN, default target/debug/sbm-crm). Python standard library only.

Environment: SBM_BIN; FAULT_THREADS (load threads, default 8); FAULT_KEEP=1 keeps the temp dir
(server log, PostgreSQL log) for inspection.
"""

import glob
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SBM_BIN = os.path.abspath(os.path.join(REPO, os.environ.get("SBM_BIN", "target/debug/sbm-crm")))
THREADS = int(os.environ.get("FAULT_THREADS", "8"))
KEEP = os.environ.get("FAULT_KEEP") == "1"

# The server's shutdown settings for scenario d, and how
# long the simulated load balancer keeps sending after /readyz stops answering 200.
DRAIN_SECONDS = 2
GRACE_SECONDS = 10
LB_DELAY = 1.0
ADMIN_EMAIL = "fault-admin@example.test"
ADMIN_PASSWORD = "fault-admin-password"
SOURCE = "fault"  # `source` of every movement the load makes; `externalId`s are unique in it


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}")


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# --- the infrastructure the suite owns ----------------------------------------------------------


class Postgres:
    """A private PostgreSQL cluster in `root`/pg, owned by the `postgres` user, trust auth."""

    def __init__(self, root):
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not versions:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = versions[-1]
        self.port = free_port()
        self.dir = os.path.join(root, "pg")
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres("initdb", "-D", self.dir, "-U", "postgres", "-A", "trust", "--no-sync")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/sbm"

    def _as_postgres(self, tool, *args):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", os.path.join(self.bin, tool), *args],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def pg_ctl(self, *args):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres("pg_ctl", "-D", self.dir, "-o", options, "-l", os.path.join(self.dir, "log"), "-w", *args)

    def start(self):
        self.pg_ctl("start")

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")

    def restart(self):
        self.pg_ctl("restart", "-m", "fast")

    def sql(self, query, db="sbm"):
        """Rows of a query, each a list of strings."""
        out = subprocess.run(
            ["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", "postgres", "-d", db, "-c", query],
            check=True, capture_output=True, text=True,
        ).stdout
        return [line.split("\t") for line in out.splitlines() if line]


class Redis:
    """A private Redis, in the foreground as our child so we can kill it."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, 10, "Redis")

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.makefile().readline().strip() == "+PONG"
        except OSError:
            return False

    def script_calls(self):
        """How many Lua scripts (the limiter's EVALSHA) this Redis has run since it started."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
            s.sendall(b"INFO commandstats\r\n")
            f = s.makefile("rb")
            size = int(f.readline()[1:])  # a bulk string: `$<size>`, then the text
            text = f.read(size).decode()
        return sum(int(line.split("calls=")[1].split(",")[0]) for line in text.splitlines()
                   if line.startswith(("cmdstat_evalsha:", "cmdstat_eval:")))


class Server:
    """`sbm-crm serve` on a private port; its output appended to `root`/server.log."""

    def __init__(self, root, pg, redis):
        self.port = free_port()
        self.log_path = os.path.join(root, "server.log")
        self.proc = None
        self.env = {
            **os.environ,
            "SBM_LISTEN": f"127.0.0.1:{self.port}",
            "SBM_DATABASE_URL": pg.url,
            "SBM_REDIS_URL": f"redis://127.0.0.1:{redis.port}",
            "SBM_MIGRATE_ON_START": "true",
            "SBM_DATA_DIR": os.path.join(root, "data"),  # kept across restarts: same JWT key
            "SBM_BOOTSTRAP_ADMIN_EMAIL": ADMIN_EMAIL,
            "SBM_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SBM_COOKIE_SECURE": "false",
            # Rate limiting stays on (scenario b is about its Redis), with room for the load.
            "SBM_RATE_LIMIT_PREMIUM_PER_HOUR": "100000000",
            "SBM_RATE_LIMIT_TOKEN_PER_HOUR": "100000000",
            "SBM_RATE_LIMIT_ANONYMOUS_PER_HOUR": "100000000",
            "SBM_SHUTDOWN_DRAIN_SECONDS": str(DRAIN_SECONDS),
            "SBM_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
            "SBM_METRICS_LISTEN": "off",  # no fixed port: other servers may run on this machine
            "SBM_LOG_FORMAT": "json",
        }

    def start(self):
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([SBM_BIN, "serve"], env=self.env, stdout=log, stderr=log)
        wait_until(lambda: self.proc.poll() is not None or call("GET", self.port, "/readyz").status == 200,
                   60, "the server to be ready")
        if self.proc.poll() is not None:
            raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        if self.running():
            self.proc.kill()
            self.proc.wait()


# --- HTTP -----------------------------------------------------------------------------------------


class Result:
    """One HTTP exchange. `error` is None (a response came), `refused` (the connection was never
    accepted: nothing reached the server) or `lost` (the request went out and no response came
    back: cut, reset or timed out), with `detail` telling which."""

    def __init__(self, started):
        self.started = started
        self.latency = None
        self.status = None
        self.headers = {}
        self.body = None
        self.error = None
        self.detail = None


def call(method, port, path, body=None, headers=None, timeout=15):
    """One request on its own connection (so a cut connection affects that request only)."""
    result = Result(time.monotonic())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        try:
            conn.connect()
        except OSError as e:
            result.error, result.detail = "refused", type(e).__name__
            return result
        try:
            payload = None if body is None else json.dumps(body)
            hdrs = {"content-type": "application/json", **(headers or {})}
            conn.request(method, path, payload, hdrs)
            resp = conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as e:
            result.error, result.detail = "lost", type(e).__name__
            return result
        result.status = resp.status
        result.headers = {k.lower(): v for k, v in resp.getheaders()}
        try:
            result.body = json.loads(raw) if raw else None
        except ValueError:
            result.body = raw.decode(errors="replace")
        return result
    finally:
        result.latency = time.monotonic() - result.started
        conn.close()


class Api:
    """The calls the suite makes, authenticated with one API key (a POS, as in production)."""

    def __init__(self, server):
        self.server = server
        self.key = None
        self.members = []

    def setup(self, members=6):
        r = call("POST", self.server.port, "/auth/api/login",
                 {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        token = r.body["data"]["accessToken"]
        r = call("POST", self.server.port, "/auth/api/api-keys",
                 {"name": "fault POS", "plan": "premium",
                  "scopes": ["members:read", "members:write", "points:read", "points:write"]},
                 {"authorization": f"Bearer {token}"})
        self.key = r.body["data"]["key"]
        for i in range(members):
            r = self.post("/auth/api/members", {"firstName": "Fault", "lastName": f"Member{i}",
                                                "phone": f"+66 81 000 {1000 + i}"}, f"enrol-{i}")
            assert r.status in (200, 201), (r.status, r.body)
            self.members.append(r.body["data"]["id"])

    def post(self, path, body, idempotency_key, timeout=15):
        return call("POST", self.server.port, path, body,
                    {"x-api-key": self.key, "idempotency-key": idempotency_key}, timeout)


# --- load -----------------------------------------------------------------------------------------


class Op:
    """One earn or spend the load sent, with its Idempotency-Key (also its externalId)."""

    def __init__(self, kind, key, body, result):
        self.kind, self.key, self.body, self.result = kind, key, body, result

    @property
    def acknowledged(self):
        r = self.result
        return r.error is None and 200 <= r.status < 300

    @property
    def transaction_id(self):
        return self.result.body["data"]["transaction"]["id"]

    @property
    def unknown_outcome(self):
        """The client cannot tell whether it happened: retried with its key in the check."""
        r = self.result
        return r.error == "lost" or (r.error is None and r.status >= 500)


class Load:
    """THREADS threads sending earns (4 in 5) and spends with unique keys until stopped.

    `gate`, when given, is an Event that stops new requests as soon as it is set (a load
    balancer that saw /readyz go 503) while requests already sent run to their end."""

    def __init__(self, api, label, gate=None):
        self.api, self.label, self.gate = api, label, gate
        self.ops = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(THREADS)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for t in self.threads:
            t.join()

    def _run(self, n):
        rng = random.Random(n)
        i = 0
        while not self.stopping.is_set() and not (self.gate and self.gate.is_set()):
            i += 1
            key = f"{self.label}-{n}-{i}-{uuid.uuid4().hex[:8]}"
            member = rng.choice(self.api.members)
            if rng.random() < 0.8:
                kind, body = "earn", {"memberId": member, "points": rng.randint(1, 100)}
            else:
                kind, body = "spend", {"memberId": member, "points": rng.randint(1, 20), "reason": "fault"}
            body.update(source=SOURCE, externalId=key)
            result = self.api.post(f"/point/api/transactions/{kind}", body, key)
            with self.lock:
                self.ops.append(Op(kind, key, body, result))
            if result.error == "refused":
                time.sleep(0.05)  # the server is down: do not spin

    def window(self, start, end):
        """The ops answered (or failed) between two instants."""
        return [op for op in self.ops if start <= op.result.started + op.result.latency < end]


def describe(ops):
    """`n ok, n 503, n lost (RemoteDisconnected), ...` for a list of ops."""
    counts = {}
    for op in ops:
        r = op.result
        k = f"{r.error} ({r.detail})" if r.error else "ok" if 200 <= r.status < 300 else str(r.status)
        counts[k] = counts.get(k, 0) + 1
    return ", ".join(f"{v} {k}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) or "none"


# --- the ledger check shared by every scenario ----------------------------------------------------


def check_ledger(pg, api, ops):
    """Returns (problems, facts): nothing acknowledged lost, balances consistent, retries safe."""
    problems, facts = [], []

    # 1. Retries with the same Idempotency-Key: an acknowledged request replays its transaction;
    #    a request of unknown outcome completes now (or replays, had it committed).
    replayed = completed = committed = 0
    for op in ops:
        if not (op.acknowledged or op.unknown_outcome):
            continue
        r = api.post(f"/point/api/transactions/{op.kind}", op.body, op.key)
        if r.error or r.status >= 500:
            problems.append(f"retry of {op.key} failed: {r.error or r.status} {r.body}")
            continue
        if op.acknowledged:
            if r.status != op.result.status or r.body["data"]["transaction"]["id"] != op.transaction_id:
                problems.append(f"retry of acknowledged {op.key} did not replay it: {r.status} {r.body}")
            else:
                replayed += 1
        elif 200 <= r.status < 300 or (op.kind == "spend" and r.status == 422):
            completed += 1
            committed += r.headers.get("idempotent-replayed") == "true"
            op.result = r  # now acknowledged (or refused for want of points): checked below
        else:
            problems.append(f"retry of {op.key} (first: {op.result.error or op.result.status}) "
                            f"answered {r.status}: {r.body}")
    facts.append(f"{replayed} acknowledged retried and replayed; {completed} of unknown outcome retried and "
                 f"completed ({committed} had committed unseen and were replayed)")

    # 2. Every acknowledged movement is in the ledger, once, with its member and points.
    rows = pg.sql(f"SELECT id, member_id, points, external_id FROM point_transactions WHERE source = '{SOURCE}'")
    by_id = {r[0]: r for r in rows}
    per_external = {}
    for r in rows:
        per_external[r[3]] = per_external.get(r[3], 0) + 1
    acked = [op for op in ops if op.acknowledged]
    missing = 0
    for op in acked:
        row = by_id.get(op.transaction_id)
        sign = 1 if op.kind == "earn" else -1
        if row is None or row[1] != op.body["memberId"] or int(row[2]) != sign * op.body["points"]:
            missing += 1
            problems.append(f"acknowledged {op.kind} {op.key} ({op.transaction_id}) missing or wrong in the ledger: {row}")
    twice = [k for k, n in per_external.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} externalIds booked more than once, e.g. {twice[:3]}")
    facts.append(f"{len(acked)} acknowledged movements, {len(acked) - missing} found in the ledger")

    # 3. Balances: never negative, equal to the sum of entries and to the sum of live lots.
    balances = pg.sql(
        "SELECT b.member_id, b.balance, "
        "(SELECT COALESCE(SUM(t.points), 0) FROM point_transactions t WHERE t.member_id = b.member_id), "
        "(SELECT COALESCE(SUM(l.remaining), 0) FROM point_lots l WHERE l.member_id = b.member_id) "
        "FROM point_balances b"
    )
    inconsistent = [b for b in balances if int(b[1]) < 0 or b[1] != b[2] or b[1] != b[3]]
    for member, balance, entries, lots in inconsistent:
        problems.append(f"member {member}: balance {balance}, entries {entries}, live lots {lots}")
    facts.append(f"{len(balances) - len(inconsistent)} of {len(balances)} balances equal their entries and live lots")
    return problems, facts


def server_errors(ops):
    return [op for op in ops if op.result.error is None and op.result.status >= 500 and op.result.status != 503]


def five_hundreds(ops):
    return [op for op in ops if op.result.error is None and op.result.status >= 500]


# --- scenarios ------------------------------------------------------------------------------------


def scenario_kill9(env):
    """a. kill -9 mid-load, three times; restart; nothing acknowledged lost."""
    pg, server, api = env["pg"], env["server"], env["api"]
    problems, facts, ops = [], [], []
    for round_no in range(3):
        with Load(api, f"kill9-{round_no}") as load:
            time.sleep(1.5)
            server.proc.kill()  # SIGKILL: no shutdown code runs
            server.proc.wait()
            time.sleep(0.3)
        ops += load.ops
        server.start()
    lost = [op for op in ops if op.result.error == "lost"]
    facts.append(f"3 kills under load: {describe(ops)} ({len(lost)} cut mid-request)")
    for op in server_errors(ops):
        problems.append(f"a {op.result.status} response: {op.result.body}")
    p, f = check_ledger(pg, api, ops)
    return problems + p, facts + f


def latency_line(name, window):
    ms = [op.result.latency * 1000 for op in window]
    return f"{name}: {describe(window)}; latency p50 {percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms"


def scenario_redis(env):
    """b. Redis killed, restarted, then hung (SIGSTOP) under load: no failure; latency."""
    pg, redis, api = env["pg"], env["redis"], env["api"]
    problems, facts = [], []
    with Load(api, "redis") as load:
        time.sleep(2)
        t_kill = time.monotonic()
        calls_before = redis.script_calls()
        redis.kill()  # connections refused at once
        time.sleep(3)
        t_restart = time.monotonic()
        redis.start()
        time.sleep(2)
        t_hang = time.monotonic()
        calls_restarted = redis.script_calls()
        redis.proc.send_signal(signal.SIGSTOP)  # hung: connections open, no answer, timeouts
        time.sleep(3)
        t_resume = time.monotonic()
        redis.proc.send_signal(signal.SIGCONT)
        time.sleep(2)
    t_end = time.monotonic()
    calls_resumed = redis.script_calls() - calls_restarted
    ops = load.ops
    for name, start, end in [("Redis up", 0, t_kill), ("Redis killed", t_kill, t_restart),
                             ("restarted", t_restart, t_hang), ("Redis hung", t_hang, t_resume),
                             ("resumed", t_resume, t_end)]:
        facts.append(latency_line(name, load.window(start, end)))
    # Every request must succeed: the limiter falls back (SBM_RATE_LIMIT_ON_REDIS_FAILURE=open).
    failed = [op for op in ops if not op.acknowledged and not (op.kind == "spend" and op.result.status == 422)]
    if failed:
        problems.append(f"{len(failed)} requests failed: {describe(failed)}; first: "
                        f"{failed[0].result.status or failed[0].result.error} {failed[0].result.body}")
    # The limiter really used Redis, and went back to it after the restart and after the hang.
    facts.append(f"limiter scripts run by Redis: {calls_before} before the kill, {calls_restarted} after "
                 f"the restart, {calls_resumed} after the hang")
    if calls_before == 0:
        problems.append("the limiter never used Redis: the scenario tested nothing")
    if calls_restarted == 0:
        problems.append("the limiter did not go back to Redis after the restart")
    if calls_resumed == 0:
        problems.append("the limiter did not go back to Redis after the hang")
    p, f = check_ledger(pg, api, ops)
    return problems + p, facts + f


def scenario_postgres(env):
    """c. PostgreSQL restarted, then down for 2 s, under load: 503 not 500, recovery, no loss."""
    pg, api = env["pg"], env["api"]
    problems, facts = [], []
    with Load(api, "postgres") as load:
        time.sleep(2)
        t_restart = time.monotonic()
        pg.restart()  # `pg_ctl restart -m fast`: every pooled connection is cut, back at once
        t_restarted = time.monotonic()
        time.sleep(4)
        t_stop = time.monotonic()
        pg.stop()  # `pg_ctl stop -m fast`, held down 2 s: an outage requests run into
        time.sleep(2)
        pg.start()
        t_started = time.monotonic()
        time.sleep(5)
    t_end = time.monotonic()
    ops = load.ops
    facts.append(f"before: {describe(load.window(0, t_restart))}")
    facts.append(f"restart ({t_restarted - t_restart:.1f} s): {describe(load.window(t_restart, t_restarted))}")
    facts.append(f"after the restart: {describe(load.window(t_restarted, t_stop))}")
    facts.append(f"outage ({t_started - t_stop:.1f} s): {describe(load.window(t_stop, t_started))}")
    facts.append(f"after the outage: {describe(load.window(t_started, t_end))}")
    bad = server_errors(ops)
    if bad:
        first = min(bad, key=lambda op: op.result.started)
        problems.append(f"{len(bad)} responses 5xx other than 503 ({describe(bad)}), the first "
                        f"{first.result.started - t_restart:.2f} s after the restart began: {first.result.body}")
    cut = [op for op in ops if op.result.error]
    if cut:
        problems.append(f"{len(cut)} requests got no response: {describe(cut)}")
    # Recovery without a server restart: within 5 s of PostgreSQL being back, only successes.
    for name, back, until in [("restart", t_restarted, t_stop), ("outage", t_started, t_end)]:
        failures = [op for op in load.window(back, until) if not op.acknowledged and op.result.status != 422]
        if failures:
            last = max(op.result.started + op.result.latency for op in failures) - back
            facts.append(f"after the {name}: last failure {last:.2f} s after PostgreSQL was back")
            if last > 5:
                problems.append(f"not recovered 5 s after the {name} ({describe(failures)})")
    tail = load.window(t_end - 2, t_end)
    if not tail or not all(op.acknowledged or op.result.status == 422 for op in tail):
        problems.append(f"the last 2 s are not all successes: {describe(tail)}")
    p, f = check_ledger(pg, api, ops)
    return problems + p, facts + f


def scenario_sigterm(env):
    """d. SIGTERM under load: drain with /readyz 503, in-flight requests complete, exit 0."""
    pg, server, api = env["pg"], env["server"], env["api"]
    problems, facts = [], []
    readyz = []  # (seconds since SIGTERM, or None before it; status or error)
    sent_term = [None]
    not_ready_at = [None]  # when /readyz first answered something other than 200
    stop_sending = threading.Event()

    def poll_readyz():
        # A load balancer: it takes the server out of rotation LB_DELAY after /readyz stops
        # answering 200, and keeps sending it requests until then (the drain covers that).
        while server.running():
            r = call("GET", server.port, "/readyz", timeout=2)
            now = time.monotonic()
            readyz.append((None if sent_term[0] is None else now - sent_term[0], r.status or r.error))
            if r.status != 200 and not_ready_at[0] is None:
                not_ready_at[0] = now
                threading.Timer(LB_DELAY, stop_sending.set).start()
            time.sleep(0.05)

    # Slow uploads: the headers and half the body before SIGTERM, the rest after the drain,
    # once the listener is closed: requests in flight must still be answered (grace period).
    release = threading.Event()
    slow_results = []

    def slow_earn(i):
        key = f"sigterm-slow-{i}-{uuid.uuid4().hex[:8]}"
        body = json.dumps({"memberId": api.members[i % len(api.members)], "points": 7,
                           "source": SOURCE, "externalId": key}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            conn.putrequest("POST", "/point/api/transactions/earn")
            for k, v in (("content-type", "application/json"), ("content-length", str(len(body))),
                         ("x-api-key", api.key), ("idempotency-key", key)):
                conn.putheader(k, v)
            conn.endheaders(body[: len(body) // 2])
            release.wait()
            conn.send(body[len(body) // 2:])
            resp = conn.getresponse()
            slow_results.append((resp.status, resp.read()[:200]))
        except (OSError, http.client.HTTPException) as e:
            slow_results.append((type(e).__name__, b""))
        finally:
            conn.close()

    poller = threading.Thread(target=poll_readyz, daemon=True)
    poller.start()
    with Load(api, "sigterm", gate=stop_sending) as load:
        time.sleep(2)
        slow = [threading.Thread(target=slow_earn, args=(i,)) for i in range(3)]
        for t in slow:
            t.start()
        time.sleep(0.3)
        sent_term[0] = time.monotonic()
        server.signal(signal.SIGTERM)
        time.sleep(DRAIN_SECONDS + 1)
        release.set()
        for t in slow:
            t.join()
        try:
            code = server.proc.wait(timeout=GRACE_SECONDS + 5)
        except subprocess.TimeoutExpired:
            code = None
        exit_after = time.monotonic() - sent_term[0]
    poller.join()
    ops = load.ops

    first_not_ready = next(((t, s) for t, s in readyz if t is not None and s != 200), None)
    facts.append(f"load: {describe(ops)}")
    facts.append("/readyz after SIGTERM: " + (f"{first_not_ready[1]} from {first_not_ready[0]:.2f} s"
                                               if first_not_ready else "never changed"))
    if not first_not_ready or first_not_ready[1] != 503:
        problems.append("no drain: /readyz did not answer 503 after SIGTERM "
                        f"(its first answer that was not 200: {first_not_ready and first_not_ready[1]})")
    # Served during the drain: requests sent after /readyz turned, before the balancer reacted.
    if not_ready_at[0] is not None:
        during = [op for op in ops if op.result.started >= not_ready_at[0]]
        facts.append(f"sent during the drain (the {LB_DELAY:.0f} s a balancer needs): {describe(during)}")
    # Every request the balancer sent must have had its response.
    cut = [op for op in ops if op.result.error]
    if cut:
        after = [op.result.started - sent_term[0] for op in cut]
        problems.append(f"{len(cut)} requests got no response ({describe(cut)}), sent "
                        f"{min(after):.2f} to {max(after):.2f} s after SIGTERM")
    bad = five_hundreds(ops)
    if bad:
        problems.append(f"{len(bad)} 5xx responses: {describe(bad)}")
    facts.append(f"slow uploads in flight, finished {DRAIN_SECONDS + 1} s after SIGTERM: "
                 f"{[s for s, _ in slow_results]}")
    if not all(isinstance(s, int) and 200 <= s < 300 for s, _ in slow_results):
        problems.append(f"in-flight slow uploads did not all complete: {slow_results}")
    facts.append(f"exit code {code} {exit_after:.1f} s after SIGTERM "
                 f"(drain {DRAIN_SECONDS} s, then grace up to {GRACE_SECONDS} s)")
    if code != 0:
        problems.append(f"exit code {code} (expected 0 within drain + grace)")
    if code is None:
        server.stop()
    server.start()
    p, f = check_ledger(pg, api, ops)
    return problems + p, facts + f


SCENARIOS = [
    ("a", "kill9", scenario_kill9),
    ("b", "redis", scenario_redis),
    ("c", "postgres", scenario_postgres),
    ("d", "sigterm", scenario_sigterm),
]


def main(argv):
    wanted = argv or [name for _, name, _ in SCENARIOS]
    chosen = [s for s in SCENARIOS if s[0] in wanted or s[1] in wanted]
    if len(chosen) != len(set(wanted)):
        sys.exit(f"usage: run.py [{' | '.join(f'{l}|{n}' for l, n, _ in SCENARIOS)} ...]")
    if not os.access(SBM_BIN, os.X_OK):
        sys.exit(f"no server binary at {SBM_BIN} (set SBM_BIN)")

    root = tempfile.mkdtemp(prefix="sbm-fault-")
    os.chmod(root, 0o755)  # the postgres user must reach its data directory inside
    pg = redis = server = None
    failed = []
    try:
        pg = Postgres(root)
        pg.start()
        pg.sql("CREATE DATABASE sbm", db="postgres")
        redis = Redis()
        redis.start()
        server = Server(root, pg, redis)
        server.start()
        api = Api(server)
        api.setup()
        env = {"pg": pg, "redis": redis, "server": server, "api": api}
        print(f"fault: server on port {server.port}, PostgreSQL {pg.port}, Redis {redis.port}, "
              f"{THREADS} load threads; logs in {root}", flush=True)
        for letter, name, run in chosen:
            started = time.monotonic()
            try:
                problems, facts = run(env)
            except Exception as e:  # a scenario that cannot even run has failed
                problems, facts = [f"scenario crashed: {type(e).__name__}: {e}"], []
            verdict = "PASS" if not problems else "FAIL"
            print(f"\n[{verdict}] {letter}. {name} ({time.monotonic() - started:.0f} s)")
            for line in facts:
                print(f"    {line}")
            for line in problems[:10]:
                print(f"  ! {line}")
            if len(problems) > 10:
                print(f"  ! ... and {len(problems) - 10} more")
            if problems:
                failed.append(name)
            # The next scenario needs everything up again.
            if not server.running():
                server.start()
        print(f"\n{len(chosen) - len(failed)} passed, {len(failed)} failed")
        return 1 if failed else 0
    finally:
        if server:
            server.stop()
        if redis and redis.proc and redis.proc.poll() is None:
            redis.kill()
        if pg:
            try:
                pg.stop()
            except subprocess.CalledProcessError:
                pass  # already down
        if KEEP:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
