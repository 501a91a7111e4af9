-- Which outbox worker (instance) claimed a message: a worker records the outcome of a delivery
-- only while the message is still its own, and operators can see who sent what.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
