-- The SQL one redemption runs (POST /reward/api/redemptions: an unlimited voucher of 10 points,
-- no code, no limits, no tiers), statement for statement as PostgreSQL logged it: the member
-- check and lock, the reward and its catalog, the ledger's spend (lock, due lots, debit, entry,
-- lots, consumption, event), the redemption with its event in one statement, and the stock row
-- last.
\set n random(1, 500)
\set r random(1, 8)
BEGIN;
SELECT status FROM members WHERE id = 'pgbench-' || :n LIMIT 1;
INSERT INTO point_balances (member_id, balance, lifetime_earned, lifetime_spent, lifetime_expired, updated_at) VALUES ('pgbench-' || :n, 0, 0, 0, 0, now()) ON CONFLICT (member_id) DO UPDATE SET updated_at = point_balances.updated_at;
SELECT * FROM rewards WHERE id = 'pgbench-reward-' || :r LIMIT 1;
SELECT * FROM reward_catalogs WHERE id = 'pgbench-catalog' LIMIT 1;
INSERT INTO point_balances (member_id, balance, lifetime_earned, lifetime_spent, lifetime_expired, updated_at) VALUES ('pgbench-' || :n, 0, 0, 0, 0, now()) ON CONFLICT (member_id) DO UPDATE SET updated_at = point_balances.updated_at;
SELECT * FROM point_lots WHERE member_id = 'pgbench-' || :n AND remaining > 0 AND expired_at IS NULL AND expires_at <= now() ORDER BY expires_at;
UPDATE point_balances SET balance = balance - 10, lifetime_spent = lifetime_spent + 10, lifetime_earned = lifetime_earned + 0, lifetime_expired = lifetime_expired + 0, updated_at = now() WHERE member_id = 'pgbench-' || :n AND balance >= 10 RETURNING balance;
INSERT INTO point_transactions (id, member_id, type, points, balance_after, reason, source, external_id, metadata, breakdown, related_id, created_by, created_at) VALUES (gen_random_uuid()::text, 'pgbench-' || :n, 'spend', -10, 0, 'Reward bench', 'reward', gen_random_uuid()::text, '{"redemptionId":"x","rewardCode":"r","rewardId":"y"}', NULL, NULL, 'staff-x', now());
SELECT id, remaining FROM point_lots WHERE member_id = 'pgbench-' || :n AND remaining > 0 AND (expires_at IS NULL OR expires_at > now()) ORDER BY (CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END), expires_at, created_at, id;
UPDATE point_lots SET remaining = remaining - 10 WHERE id = 'pgbench-lot-' || :n AND remaining >= 10;
INSERT INTO point_lot_consumptions (id, transaction_id, lot_id, points, restored) VALUES (gen_random_uuid()::text, 'tx', 'pgbench-lot-' || :n, 10, 0);
INSERT INTO events (topic, aggregate_id, payload, created_at) VALUES ('points.spent', 'pgbench-' || :n, '{"transactionId":"x","memberId":"pgbench","points":-10,"balance":10,"source":"reward","externalId":"x","reason":"Reward bench","lots":[{"lotId":"l","points":10,"expiresAt": null}],"at":"2026-11-28T00:00:00Z"}', now());
WITH w0 AS (INSERT INTO redemptions (id, reward_id, member_id, status, points_cost, spend_transaction_id, refund_transaction_id, code, code_id, snapshot, qr, store_id, expires_at, used_at, cancelled_at, cancelled_by, cancel_reason, expired_at, created_by, created_at, updated_at) VALUES (gen_random_uuid()::text, 'pgbench-reward-' || :r, 'pgbench-' || :n, 'claimed', 10, 'tx', NULL, NULL, NULL, '{"code":"r","catalogId":"c","position":0,"type":"voucher","name_en":"Bench voucher","name_th":"","name_cn":"","description_en":"","description_th":"","description_cn":"","terms_en":"","terms_th":"","terms_cn":"","pointsCost":10,"codeMode":"none","active": true}', 'eyJhbGciOiJFZERTQSIsImtpZCI6IjAxMjM0NTY3ODlhYmNkZWYiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJzYm0tY3JtIiwiYXVkIjoic2JtLWNybS9yZWRlbXB0aW9uIiwic3ViIjoiMDFhMjJkMGUtM2VmMi03MWNhLTg1NDctZWNiZmRkNDMwOWVhIiwibWlkIjoiMDFhMjJkMGUtM2IyNi03NjUyLWI5OTEtZDY2ZTlhMmQ1ZTM4IiwicndkIjoiciIsImlhdCI6MTc5NjA0OTQzOCwiZXhwIjoyMTQzMjA0NjM4fQ.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'staff-x', now(), now())) INSERT INTO events (topic, aggregate_id, payload, created_at) VALUES ('redemption.created', 'pgbench-' || :n, '{"redemptionId":"x","memberId":"pgbench","rewardId":"y","rewardCode":"r","pointsCost":10,"spendTransactionId":"tx","code": null,"storeId": null,"expiresAt": null,"at":"2026-11-28T00:00:00Z"}', now());
UPDATE rewards SET stock_claimed = stock_claimed + 1 WHERE id = 'pgbench-reward-' || :r AND (stock_total IS NULL OR stock_claimed < stock_total);
COMMIT;
