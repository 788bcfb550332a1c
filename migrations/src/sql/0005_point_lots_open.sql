-- A member's open lots (points left), in expiry order: the balance read's next-expiring lots
-- and its due-lot sum, a spend's lots and a member's expiry read only these, however many spent
-- lots the member has piled up. Replaces (member_id, remaining, expires_at), where the range
-- on `remaining` came before `expires_at` and every open lot had to be read and sorted.
-- Queries must spell the predicate `remaining > 0` as a literal for the planner to use it.
DROP INDEX point_lots_member;
CREATE INDEX point_lots_open ON point_lots (member_id, expires_at, id) WHERE remaining > 0;
