-- The SQL one earn runs (POST /point/api/transactions/earn with explicit points), statement
-- for statement: the member check, then the booking transaction, whose entry, lot and event
-- are one statement (sbm_common::db::insert_together).
\set n random(1, 500)
SELECT status FROM members WHERE id = 'pgbench-' || :n;
BEGIN;
INSERT INTO point_balances (member_id, balance, lifetime_earned, lifetime_spent, lifetime_expired, updated_at) VALUES ('pgbench-' || :n, 10, 10, 0, 0, now()) ON CONFLICT (member_id) DO UPDATE SET balance = point_balances.balance + excluded.balance, lifetime_earned = point_balances.lifetime_earned + excluded.lifetime_earned, lifetime_spent = point_balances.lifetime_spent + excluded.lifetime_spent, updated_at = excluded.updated_at WHERE point_balances.balance <= 1000000000000000 - excluded.balance AND point_balances.lifetime_earned <= 1000000000000000 - excluded.lifetime_earned RETURNING balance;
WITH w0 AS (INSERT INTO point_transactions (id, member_id, type, points, balance_after, reason, source, external_id, metadata, breakdown, related_id, created_by, created_at) VALUES (gen_random_uuid()::text, 'pgbench-' || :n, 'earn', 10, 0, 'Points awarded', 'pgbench', NULL, '{}', NULL, NULL, 'staff-x', now())), w1 AS (INSERT INTO point_lots (id, member_id, transaction_id, points, remaining, expires_at, expired_at, created_at) VALUES (gen_random_uuid()::text, 'pgbench-' || :n, 'tx', 10, 10, NULL, NULL, now())) INSERT INTO events (topic, aggregate_id, payload, created_at) VALUES ('points.earned', 'pgbench-' || :n, '{"transactionId":"x","memberId":"pgbench","points":10,"balance":10,"source":"bench","externalId": null,"reason":"Points awarded","lots":[{"lotId":"l","points":10,"expiresAt": null}],"breakdown": null,"at":"2026-11-28T00:00:00Z"}', now());
COMMIT;
