-- Live events raised by an inbound STOP are notified after its commit (issue 9's webhook benchmark).
-- A transaction that NOTIFYs takes one database-wide lock at commit and holds it until its commit
-- record is flushed (Postgres keeps the notification queue in commit order that way), so every
-- STOP's commit waited for the previous STOP's disk flush: under 10 concurrent webhooks, "Lock:
-- object" was the backends' most sampled wait, and commits could not share a flush. A transaction
-- that sets leadflow.notify_after_commit (transaction-local) stores its events as before but does
-- not notify them: its caller, once the transaction has committed, calls
-- leadflow_notify_committed with the id floor it read before raising any event and the
-- transaction's id, which notifies exactly that transaction's events in a transaction of its own
-- (NOTIFY alone writes no WAL, so that commit waits for no flush). ARCHITECTURE.md already reads
-- "a service raises an event with pg_notify after commit". Every other transaction is unchanged.
-- Function bodies are E-strings with \073 for semicolons (the migration runner splits on them).

-- The NOTIFY payload of one event, as leadflow_notify_event sent it (ids only, past 7000 bytes a
-- partial payload the listener completes by reading the row).
CREATE FUNCTION leadflow_event_notify_payload(e "RealtimeEvent") RETURNS text
LANGUAGE plpgsql STABLE AS E'
DECLARE
  payload text\073
BEGIN
  payload := json_build_object(''id'', e."id"::text, ''organizationId'', e."organizationId", ''userId'', e."userId", ''topic'', e."topic", ''subjectId'', e."subjectId", ''data'', e."data")::text\073
  IF octet_length(payload) > 7000 THEN
    payload := json_build_object(''id'', e."id"::text, ''organizationId'', e."organizationId", ''partial'', true)::text\073
  END IF\073
  RETURN payload\073
END
';

-- Lead events are still not notified (for outbound webhooks only), the others now wait for the
-- caller when the transaction asked to notify after its commit.
CREATE OR REPLACE FUNCTION leadflow_notify_event() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."topic" = ''lead'' OR current_setting(''leadflow.notify_after_commit'', true) = ''on'' THEN
    RETURN NULL\073
  END IF\073
  PERFORM pg_notify(''leadflow_events'', leadflow_event_notify_payload(NEW))\073
  RETURN NULL\073
END
';

-- Notifies the events a committed transaction (xact, from pg_current_xact_id) raised with ids
-- above after_id (the sequence's last value read in that transaction before it raised any: ids
-- are drawn uncached, in order). Returns how many, none when xact did not commit.
CREATE FUNCTION leadflow_notify_committed(after_id bigint, xact xid8) RETURNS integer
LANGUAGE sql VOLATILE AS E'
  SELECT count(pg_notify(''leadflow_events'', leadflow_event_notify_payload(e)))::int
  FROM "RealtimeEvent" e
  WHERE e."id" > after_id AND e."topic" <> ''lead''
    AND e.xmin::text = (xact::text::bigint % 4294967296)::text
    AND pg_xact_status(xact) = ''committed''
';
