-- leadflow_notify_committed, the same events, without planning its query on every call (issue 9's
-- webhook benchmark: 0.4 ms of Postgres CPU per inbound STOP statement went to planning it). A SQL
-- function that is not inlined is planned on each call, a plpgsql one keeps its plan. Its plan
-- reads the events between after_id and the sequence's last value as an index range whatever
-- after_id is (an open range "above after_id" alone could be planned as a scan of the table).
-- Every event the committed transaction raised lies in that range: ids are drawn in order.
-- Function bodies are E-strings with \073 for semicolons (the migration runner splits on them).
CREATE OR REPLACE FUNCTION leadflow_notify_committed(after_id bigint, xact xid8) RETURNS integer
LANGUAGE plpgsql VOLATILE AS E'
DECLARE
  notified integer\073
BEGIN
  IF pg_xact_status(xact) IS DISTINCT FROM ''committed'' THEN
    RETURN 0\073
  END IF\073
  SELECT count(pg_notify(''leadflow_events'', leadflow_event_notify_payload(e)))::int INTO notified
  FROM "RealtimeEvent" e
  WHERE e."id" > after_id AND e."id" <= (SELECT s."last_value" FROM "RealtimeEvent_id_seq" s)
    AND e."topic" <> ''lead''
    AND e.xmin::text = (xact::text::bigint % 4294967296)::text\073
  RETURN notified\073
END
';
