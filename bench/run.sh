#!/usr/bin/env bash
# Runs the point and reward benchmarks and their physical-limit baselines in one go, on the same
# PostgreSQL, and prints the ratios. Needs PostgreSQL and Redis on 127.0.0.1 (see .ci/run).
#   bench/run.sh                 # 32 clients, 15 s per scenario
#   DURATION=30 CONCURRENCY=32 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
CONCURRENCY=${CONCURRENCY:-32}
PORT=${PORT:-18090}
DB=sbm_bench
PGURL=postgres://postgres@127.0.0.1:5432
# Both the API and pgbench connect without TLS: the same wire either way, and on loopback TLS
# only measures the cipher. Set PGSSLMODE=prefer to compare with TLS on both sides.
SSL="sslmode=${PGSSLMODE:-disable}"
OUT=$(mktemp -d)
trap 'kill $(cat "$OUT/pid" 2>/dev/null) 2>/dev/null || true' EXIT

cargo build --release -q -p sbm-crm -p sbm-bench
psql -q "$PGURL/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

export SBM_DATABASE_URL="$PGURL/$DB?$SSL" SBM_REDIS_URL=redis://127.0.0.1:6379 SBM_REDIS_PREFIX="bench:$$:" \
  SBM_LISTEN=127.0.0.1:$PORT SBM_LOG=warn SBM_DATA_DIR="$OUT/data" SBM_DB_MAX_CONNECTIONS=${POOL:-$CONCURRENCY} \
  SBM_BOOTSTRAP_ADMIN_EMAIL=admin@bench.local SBM_BOOTSTRAP_ADMIN_PASSWORD=bench-password-1 \
  SBM_RATE_LIMIT_TOKEN_PER_HOUR=1000000000 SBM_RATE_LIMIT_ANONYMOUS_PER_HOUR=1000000000 SBM_METRICS_LISTEN=off
target/release/sbm-crm migrate >/dev/null

start() { # $1: rate limiting on|off
  SBM_RATE_LIMIT_ENABLED=$([ "$1" = on ] && echo true || echo false) target/release/sbm-crm serve >"$OUT/server.log" 2>&1 &
  echo $! >"$OUT/pid"
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && return; sleep 0.2; done
  echo "server did not start"; cat "$OUT/server.log"; exit 1
}
stop() { kill "$(cat "$OUT/pid")"; wait "$(cat "$OUT/pid")" 2>/dev/null || true; }
field() { sed -n "s/.*scenario=$2 .*$3=\([0-9.]*\).*/\1/p" "$1" | head -n1; }

echo "== API, rate limiting on (Redis), $CONCURRENCY clients, ${DURATION}s per scenario"
start on
target/release/sbm-bench --base "http://127.0.0.1:$PORT" --concurrency "$CONCURRENCY" --duration "$DURATION" | tee "$OUT/api.txt"
if command -v wrk >/dev/null; then
  echo "== Is the load generator the bottleneck? wrk (C, 2 threads) on GET /healthz against sbm-bench's healthz above"
  wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" "http://127.0.0.1:$PORT/healthz" | tee "$OUT/wrk.txt" | grep -E "Requests/sec"
fi
stop
echo "== API, rate limiting off (the layers, earn and balance)"
start off
target/release/sbm-bench --base "http://127.0.0.1:$PORT" --concurrency "$CONCURRENCY" --duration "$DURATION" --scenarios healthz,jwks,me,earn,balance \
  | sed 's/scenario=/scenario=nolimit-/' | tee "$OUT/nolimit.txt"
stop

echo "== pgbench: the same SQL as one earn, the minimal durable earn, and select by primary key"
psql -q "${PGURL}/$DB" -c "INSERT INTO point_balances SELECT 'pgbench-' || n, 0, 0, 0, 0, now() FROM generate_series(1, 500) n ON CONFLICT DO NOTHING" \
  -c "INSERT INTO members (id, member_code, first_name, last_name, locale, status, source, created_at, updated_at) SELECT 'pgbench-' || n, 'PGB' || n, 'Bench', 'Member', 'en', 'active', 'staff', now(), now() FROM generate_series(1, 500) n ON CONFLICT DO NOTHING"
pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$DURATION" -f bench/pgbench-earn.sql "$PGURL/$DB?$SSL" 2>/dev/null | tee "$OUT/pg-earn.txt" | grep -E "tps|latency"
pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$DURATION" -f bench/pgbench-minimal.sql "$PGURL/$DB?$SSL" 2>/dev/null | tee "$OUT/pg-minimal.txt" | grep -E "tps|latency"
pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$DURATION" -f bench/pgbench-balance.sql "$PGURL/$DB?$SSL" 2>/dev/null | tee "$OUT/pg-select.txt" | grep -E "tps|latency"
pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$DURATION" -f bench/pgbench-balance-read.sql "$PGURL/$DB?$SSL" 2>/dev/null | tee "$OUT/pg-read.txt" | grep -E "tps|latency"
echo "== pgbench: the same SQL as one redemption (8 rewards, as the redeem scenario)"
psql -q "${PGURL}/$DB" \
  -c "INSERT INTO reward_catalogs (id, code, name_en, name_th, name_cn, description_en, description_th, description_cn, visibility, tier_codes, sort_order, active, managed, created_at, updated_at) VALUES ('pgbench-catalog', 'pgbench-catalog', 'Bench', '', '', '', '', '', 'all', '[]', 0, true, false, now(), now()) ON CONFLICT DO NOTHING" \
  -c "INSERT INTO rewards (id, code, catalog_id, position, reward_type, name_en, name_th, name_cn, description_en, description_th, description_cn, terms_en, terms_th, terms_cn, points_cost, stock_claimed, tier_codes, code_mode, active, managed, created_at, updated_at) SELECT 'pgbench-reward-' || n, 'pgbench-reward-' || n, 'pgbench-catalog', n, 'voucher', 'Bench', '', '', '', '', '', '', '', '', 10, 0, '[]', 'none', true, false, now(), now() FROM generate_series(1, 8) n ON CONFLICT DO NOTHING" \
  -c "UPDATE point_balances SET balance = balance + 1000000000 WHERE member_id LIKE 'pgbench-%'" \
  -c "INSERT INTO point_lots (id, member_id, transaction_id, points, remaining, expires_at, expired_at, created_at) SELECT 'pgbench-lot-' || n, 'pgbench-' || n, 'tx', 1000000000, 1000000000, NULL, NULL, now() FROM generate_series(1, 500) n ON CONFLICT DO NOTHING"
pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$DURATION" -f bench/pgbench-redeem.sql "$PGURL/$DB?$SSL" 2>/dev/null | tee "$OUT/pg-redeem.txt" | grep -E "tps|latency"

api_earn=$(field "$OUT/api.txt" earn rps)
api_bal=$(field "$OUT/api.txt" balance rps)
p99_earn=$(field "$OUT/api.txt" earn p99_ms)
nl_earn=$(field "$OUT/nolimit.txt" nolimit-earn rps)
nl_bal=$(field "$OUT/nolimit.txt" nolimit-balance rps)
pg_earn=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pg-earn.txt")
pg_sel=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pg-select.txt")
pg_min=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pg-minimal.txt")
pg_read=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pg-read.txt")
api_redeem=$(field "$OUT/api.txt" redeem rps)
p99_redeem=$(field "$OUT/api.txt" redeem p99_ms)
hot_redeem=$(field "$OUT/api.txt" redeem-hot rps)
p99_hot=$(field "$OUT/api.txt" redeem-hot p99_ms)
pg_redeem=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pg-redeem.txt")
echo
echo "== Layers (req/s, same run; each row adds to the one above)"
printf '%-58s %10s %10s\n' "layer" "limiter on" "limiter off"
for row in "healthz|HTTP and middleware alone (GET /healthz)" \
  "jwks|plus the rate limiter, anonymous (GET jwks.json)" \
  "me|plus token, session check, one row (GET /staff/me)" \
  "balance|the full balance read (GET /balance/{id})" \
  "earn|the full earn (POST /transactions/earn)"; do
  s=${row%%|*}
  printf '%-58s %10s %10s\n' "${row#*|}" "$(field "$OUT/api.txt" "$s" rps)" "$(field "$OUT/nolimit.txt" "nolimit-$s" rps)"
done
python3 - "$api_earn" "$pg_earn" "$api_bal" "$pg_sel" "$p99_earn" "$nl_earn" "$nl_bal" "$pg_min" "$pg_read" \
  "$api_redeem" "$p99_redeem" "$hot_redeem" "$p99_hot" "$pg_redeem" <<'PY'
import sys
ae, pe, ab, ps, p99, ne, nb, pm, pr, ar, p99r, hr, p99h, pgr = map(float, sys.argv[1:])
def line(name, value, target, ok):
    print(f"{name:<44} {value:>10} target {target:<10} {'PASS' if ok else 'FAIL'}")
print()
print("== Ratios (same run, same PostgreSQL)")
line("earn API / pgbench minimal durable earn", f"{ae/pm:.2f}", ">= 0.60", ae/pm >= 0.60)
line("earn API / pgbench running the earn's SQL", f"{ae/pe:.2f}", ">= 0.80", ae/pe >= 0.80)
line("balance API / pgbench select by key", f"{ab/ps:.2f}", ">= 0.35", ab/ps >= 0.35)
print(f"{'  (balance SQL in pgbench / select by key: the ceiling for the line above':<44} {pr/ps:>10.2f})")
print(f"{'  (balance API / pgbench running its own SQL)':<44} {ab/pr:>10.2f}")
line("earn p99 (ms)", f"{p99:.1f}", "< 25", p99 < 25)
line("rate limiter cost on earn", f"{(1-ae/ne)*100:.1f}%", "<= 10%", 1-ae/ne <= 0.10)
line("rate limiter cost on balance reads", f"{(1-ab/nb)*100:.1f}%", "<= 10%", 1-ab/nb <= 0.10)
print()
print("== Redemptions (limiter on; 8 rewards, and all clients on one)")
line("redeem p99 (ms)", f"{p99r:.1f}", "< 30", p99r < 30)
print(f"{'redeem API (req/s)':<44} {ar:>10.0f}")
print(f"{'pgbench running the redemption SQL (tps)':<44} {pgr:>10.0f}")
print(f"{'redeem API / pgbench running its SQL':<44} {ar/pgr:>10.2f}")
print(f"{'redeem-hot API (one reward row; req/s)':<44} {hr:>10.0f}   p99 {p99h:.1f} ms")
PY
