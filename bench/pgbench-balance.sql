-- Select by primary key: the physical limit for a balance read.
\set n random(1, 500)
SELECT balance, lifetime_earned, lifetime_spent, lifetime_expired FROM point_balances WHERE member_id = 'pgbench-' || :n;
