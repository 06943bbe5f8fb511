-- Opted-out lead events are raised only for an organization with an enabled endpoint that listens
-- for "lead.opted_out", as created and status-changed lead events already are
-- (20261130065000_webhook_lead_events_when_subscribed): outbound webhooks are their one consumer,
-- and an endpoint subscribed later is never sent events from before it existed. An inbound STOP
-- wrote this row (and its webhook fan-out check) for every organization: about 0.1 ms of the
-- STOP's 1.2 ms of Postgres CPU in issue 9's webhook benchmark.
-- Function bodies are E-strings with \073 for semicolons (the migration runner splits on them).
CREATE OR REPLACE FUNCTION leadflow_opted_out_event() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."reason" IN (''keyword'', ''refusal'', ''provider_21610'', ''manual'')
    AND EXISTS (
      SELECT 1 FROM "WebhookEndpoint" e
      WHERE e."organizationId" = NEW."organizationId" AND e."enabled" AND ''lead.opted_out'' = ANY (e."events")
    ) THEN
    PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''lead'', NEW."leadId",
      jsonb_build_object(''kind'', ''opted_out'', ''suppressionId'', NEW."id", ''leadId'', NEW."leadId", ''reason'', NEW."reason"), NULL)\073
  END IF\073
  RETURN NULL\073
END
';
