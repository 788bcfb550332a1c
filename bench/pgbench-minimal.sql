-- The minimal durable earn: the balance and one ledger row, in one transaction. What no earn
-- can go below; the API's earn is measured against it.
\set n random(1, 500)
BEGIN;
UPDATE point_balances SET balance = balance + 10, lifetime_earned = lifetime_earned + 10 WHERE member_id = 'pgbench-' || :n;
INSERT INTO point_transactions (id, member_id, type, points, balance_after, reason, source, external_id, metadata, breakdown, related_id, created_by, created_at) VALUES (gen_random_uuid()::text, 'pgbench-' || :n, 'earn', 10, 0, 'Points awarded', 'pgbench', NULL, '{}', NULL, NULL, 'staff-x', now());
COMMIT;
