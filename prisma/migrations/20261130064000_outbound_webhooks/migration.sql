-- Outbound webhooks (issue 13 item 4). Function bodies are E-strings with \073 for semicolons: the migration runner splits on them.

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'webhook_disabled';

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledAt" TIMESTAMP(3),
    "disabledReason" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "eventData" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "sourceEventId" BIGINT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "payload" TEXT,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastAttemptAt" TIMESTAMP(3),
    "lastResponseStatus" INTEGER,
    "lastError" TEXT,
    "replayRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "error" TEXT,
    "succeeded" BOOLEAN NOT NULL,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "WebhookEndpoint_organizationId_createdAt_idx" ON "WebhookEndpoint"("organizationId", "createdAt");
CREATE UNIQUE INDEX "WebhookDelivery_endpointId_dedupeKey_key" ON "WebhookDelivery"("endpointId", "dedupeKey");
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");
CREATE INDEX "WebhookDelivery_organizationId_createdAt_idx" ON "WebhookDelivery"("organizationId", "createdAt");
CREATE INDEX "WebhookDelivery_endpointId_createdAt_idx" ON "WebhookDelivery"("endpointId", "createdAt");
CREATE INDEX "WebhookAttempt_deliveryId_attemptedAt_idx" ON "WebhookAttempt"("deliveryId", "attemptedAt");

ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Lead events on the one event path (RealtimeEvent, topic "lead"), raised by triggers like the
-- message, campaign and job events, so every path that creates a lead or moves its status (the
-- leads service, imports, search results saved, the inbound webhook, automation) raises them:
-- created, status (from, to), skip_traced (a run that answered), opted_out (a suppression the
-- person asked for). They feed outbound webhooks: browsers are not told (see leadflow_notify_event).
CREATE FUNCTION leadflow_lead_created_events() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  PERFORM leadflow_raise_event(n."organizationId", NULL, ''lead'', n."id",
    jsonb_build_object(''kind'', ''created'', ''leadId'', n."id", ''status'', n."status"), NULL)
  FROM new_rows n\073
  RETURN NULL\073
END
';
CREATE TRIGGER "Lead_created_events" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_created_events();

CREATE FUNCTION leadflow_lead_status_events() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  PERFORM leadflow_raise_event(n."organizationId", NULL, ''lead'', n."id",
    jsonb_build_object(''kind'', ''status'', ''leadId'', n."id", ''from'', o."status", ''to'', n."status"), NULL)
  FROM new_rows n JOIN old_rows o ON o."id" = n."id"
  WHERE n."status" IS DISTINCT FROM o."status"\073
  RETURN NULL\073
END
';
CREATE TRIGGER "Lead_status_events" AFTER UPDATE ON "Lead" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_status_events();

CREATE FUNCTION leadflow_lead_skip_traced_event() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."outcome" <> ''failed'' THEN
    PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''lead'', NEW."leadId",
      jsonb_build_object(''kind'', ''skip_traced'', ''leadId'', NEW."leadId", ''skipTraceId'', NEW."id", ''matched'', NEW."matched"), NULL)\073
  END IF\073
  RETURN NULL\073
END
';
CREATE TRIGGER "SkipTraceRecord_event" AFTER INSERT ON "SkipTraceRecord" FOR EACH ROW EXECUTE FUNCTION leadflow_lead_skip_traced_event();

CREATE FUNCTION leadflow_opted_out_event() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."reason" IN (''keyword'', ''refusal'', ''provider_21610'', ''manual'') THEN
    PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''lead'', NEW."leadId",
      jsonb_build_object(''kind'', ''opted_out'', ''suppressionId'', NEW."id", ''leadId'', NEW."leadId", ''reason'', NEW."reason"), NULL)\073
  END IF\073
  RETURN NULL\073
END
';
CREATE TRIGGER "Suppression_opted_out_event" AFTER INSERT ON "Suppression" FOR EACH ROW EXECUTE FUNCTION leadflow_opted_out_event();

-- Lead events are for the server (outbound webhooks), not browsers: they are not notified (an
-- import of 10k rows would otherwise wake every open tab 10k times). The rest as before.
CREATE OR REPLACE FUNCTION leadflow_notify_event() RETURNS trigger
LANGUAGE plpgsql AS E'
DECLARE
  payload text\073
BEGIN
  IF NEW."topic" = ''lead'' THEN
    RETURN NULL\073
  END IF\073
  payload := json_build_object(''id'', NEW."id"::text, ''organizationId'', NEW."organizationId", ''userId'', NEW."userId", ''topic'', NEW."topic", ''subjectId'', NEW."subjectId", ''data'', NEW."data")::text\073
  IF octet_length(payload) > 7000 THEN
    payload := json_build_object(''id'', NEW."id"::text, ''organizationId'', NEW."organizationId", ''partial'', true)::text\073
  END IF\073
  PERFORM pg_notify(''leadflow_events'', payload)\073
  RETURN NULL\073
END
';

-- Every event that is a webhook event type becomes one delivery per enabled endpoint of its
-- organization subscribed to the type, in the transaction that raised it (a rolled-back change
-- sends nothing: a committed one is never lost). The worker sends them (server/webhooks/dispatch.ts).
CREATE FUNCTION leadflow_webhook_fanout() RETURNS trigger
LANGUAGE plpgsql AS E'
DECLARE
  event_type text\073
  dedupe text\073
BEGIN
  event_type := CASE
    WHEN NEW."topic" = ''lead'' THEN CASE NEW."data"->>''kind''
      WHEN ''created'' THEN ''lead.created'' WHEN ''status'' THEN ''lead.status_changed''
      WHEN ''skip_traced'' THEN ''lead.skip_traced'' WHEN ''opted_out'' THEN ''lead.opted_out'' END
    WHEN NEW."topic" = ''inbox'' AND NEW."data"->>''kind'' = ''message'' AND NEW."data"->>''direction'' = ''inbound'' THEN ''message.received''
    WHEN NEW."topic" = ''campaign'' AND NEW."data"->>''kind'' = ''status'' AND NEW."data"->>''status'' = ''completed'' THEN ''campaign.finished''
  END\073
  IF event_type IS NULL THEN
    RETURN NULL\073
  END IF\073
  dedupe := CASE WHEN event_type = ''campaign.finished'' THEN event_type || '':'' || NEW."subjectId" ELSE ''event:'' || NEW."id"::text END\073
  INSERT INTO "WebhookDelivery" ("id", "organizationId", "endpointId", "eventType", "eventData", "dedupeKey", "sourceEventId", "occurredAt", "nextAttemptAt")
  SELECT ''msg_'' || replace(gen_random_uuid()::text, ''-'', ''''), NEW."organizationId", e."id", event_type,
    NEW."data" || jsonb_build_object(''subjectId'', NEW."subjectId"), dedupe, NEW."id", NEW."createdAt", NEW."createdAt"
  FROM "WebhookEndpoint" e
  WHERE e."organizationId" = NEW."organizationId" AND e."enabled" AND event_type = ANY (e."events")
  ON CONFLICT ("endpointId", "dedupeKey") DO NOTHING\073
  RETURN NULL\073
END
';
CREATE TRIGGER "RealtimeEvent_webhooks" AFTER INSERT ON "RealtimeEvent" FOR EACH ROW EXECUTE FUNCTION leadflow_webhook_fanout();

-- A new delivery wakes the workers on commit (they also sweep every minute).
CREATE FUNCTION leadflow_webhook_delivery_added() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''leadflow_webhooks'', '''')\073
  RETURN NULL\073
END
';
CREATE TRIGGER "WebhookDelivery_added" AFTER INSERT ON "WebhookDelivery" FOR EACH ROW EXECUTE FUNCTION leadflow_webhook_delivery_added();
