-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "assignedUserId" TEXT,
ADD COLUMN     "lastCampaignId" TEXT,
ADD COLUMN     "lastDirection" "MessageDirection",
ADD COLUMN     "lastInboundAt" TIMESTAMP(3),
ADD COLUMN     "lastMessagePreview" TEXT,
ADD COLUMN     "unreadCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RealtimeEvent" (
    "id" BIGSERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT,
    "topic" TEXT NOT NULL,
    "subjectId" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RealtimeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RealtimeEvent_organizationId_id_idx" ON "RealtimeEvent"("organizationId", "id");

-- CreateIndex
CREATE INDEX "RealtimeEvent_organizationId_createdAt_idx" ON "RealtimeEvent"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "RealtimeEvent_subjectId_createdAt_idx" ON "RealtimeEvent"("subjectId", "createdAt");

-- CreateIndex
CREATE INDEX "RealtimeEvent_createdAt_idx" ON "RealtimeEvent"("createdAt");

-- CreateIndex
CREATE INDEX "Conversation_assignedUserId_idx" ON "Conversation"("assignedUserId");

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_assignedUserId_fkey" FOREIGN KEY ("assignedUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Inbox and live updates (issue 12). Function bodies are E-strings with \073 for semicolons: the migration runner splits on them.
-- Conversations as the inbox lists them, from their messages so far (existing threads start read).
UPDATE "Conversation" c SET "lastMessagePreview" = left(m."body", 160), "lastDirection" = m."direction"
FROM (SELECT DISTINCT ON ("conversationId") "conversationId", "body", "direction" FROM "Message" ORDER BY "conversationId", "createdAt" DESC, "id" DESC) m
WHERE m."conversationId" = c."id";
UPDATE "Conversation" c SET "lastInboundAt" = m."at"
FROM (SELECT "conversationId", max("createdAt") AS "at" FROM "Message" WHERE "direction" = 'inbound' GROUP BY "conversationId") m
WHERE m."conversationId" = c."id";
UPDATE "Conversation" c SET "lastCampaignId" = m."campaignId"
FROM (SELECT DISTINCT ON ("conversationId") "conversationId", "campaignId" FROM "Message" WHERE "campaignId" IS NOT NULL ORDER BY "conversationId", "createdAt" DESC) m
WHERE m."conversationId" = c."id";

-- Raises one event, stamped when it is written (clock_timestamp, not the transaction's start, so a
-- long transaction's event is not throttled by one raised before it began). With a throttle, nothing is raised when the same subject had an event of the
-- same topic that recently (the client refreshes once more a little after the last event it
-- heard, so a change inside the throttle is still shown).
CREATE FUNCTION leadflow_raise_event(p_org text, p_user text, p_topic text, p_subject text, p_data jsonb, p_throttle interval) RETURNS void
LANGUAGE plpgsql AS E'
BEGIN
  IF p_throttle IS NOT NULL AND EXISTS (
    SELECT 1 FROM "RealtimeEvent" e
    WHERE e."subjectId" = p_subject AND e."createdAt" > (clock_timestamp() AT TIME ZONE ''UTC'') - p_throttle AND e."topic" = p_topic AND e."organizationId" = p_org
  ) THEN
    RETURN\073
  END IF\073
  INSERT INTO "RealtimeEvent" ("organizationId", "userId", "topic", "subjectId", "data", "createdAt")
  VALUES (p_org, p_user, p_topic, p_subject, p_data, clock_timestamp() AT TIME ZONE ''UTC'')\073
END
';

-- Every event reaches the listeners of every process on commit (NOTIFY is transactional).
-- A payload near the 8000-byte limit goes without its data (the listener reads the row).
CREATE FUNCTION leadflow_notify_event() RETURNS trigger
LANGUAGE plpgsql AS E'
DECLARE
  payload text\073
BEGIN
  payload := json_build_object(''id'', NEW."id"::text, ''organizationId'', NEW."organizationId", ''userId'', NEW."userId", ''topic'', NEW."topic", ''subjectId'', NEW."subjectId", ''data'', NEW."data")::text\073
  IF octet_length(payload) > 7000 THEN
    payload := json_build_object(''id'', NEW."id"::text, ''organizationId'', NEW."organizationId", ''partial'', true)::text\073
  END IF\073
  PERFORM pg_notify(''leadflow_events'', payload)\073
  RETURN NULL\073
END
';
CREATE TRIGGER "RealtimeEvent_notify" AFTER INSERT ON "RealtimeEvent" FOR EACH ROW EXECUTE FUNCTION leadflow_notify_event();

-- A message written or moved on, by any path (webhooks, one-to-one sends, campaigns, auto-replies):
-- its thread as the inbox lists it, and an event. A campaign's outbound messages raise the
-- campaign's progress event (throttled) instead of one inbox event each.
CREATE FUNCTION leadflow_message_changed() RETURNS trigger
LANGUAGE plpgsql AS E'
DECLARE
  thread_campaign text\073
  thread_lead text\073
BEGIN
  IF TG_OP = ''INSERT'' THEN
    UPDATE "Conversation" SET
      "lastMessagePreview" = left(NEW."body", 160),
      "lastDirection" = NEW."direction",
      "lastInboundAt" = CASE WHEN NEW."direction" = ''inbound'' THEN NEW."createdAt" ELSE "lastInboundAt" END,
      "unreadCount" = "unreadCount" + CASE WHEN NEW."direction" = ''inbound'' THEN 1 ELSE 0 END,
      "archivedAt" = CASE WHEN NEW."direction" = ''inbound'' THEN NULL ELSE "archivedAt" END,
      "lastCampaignId" = COALESCE(NEW."campaignId", "lastCampaignId")
    WHERE "id" = NEW."conversationId"
    RETURNING "lastCampaignId", "leadId" INTO thread_campaign, thread_lead\073
  ELSIF NEW."status" IS NOT DISTINCT FROM OLD."status" THEN
    RETURN NULL\073
  END IF\073
  IF NEW."campaignId" IS NOT NULL AND NEW."direction" = ''outbound'' THEN
    PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''campaign'', NEW."campaignId", ''{"kind":"progress"}''::jsonb, interval ''1 second'')\073
    RETURN NULL\073
  END IF\073
  IF TG_OP = ''UPDATE'' THEN
    SELECT "leadId" INTO thread_lead FROM "Conversation" WHERE "id" = NEW."conversationId"\073
  END IF\073
  PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''inbox'', NEW."conversationId",
    jsonb_build_object(''kind'', CASE WHEN TG_OP = ''INSERT'' THEN ''message'' ELSE ''status'' END, ''messageId'', NEW."id", ''direction'', NEW."direction", ''leadId'', thread_lead), NULL)\073
  IF TG_OP = ''INSERT'' AND NEW."direction" = ''inbound'' AND thread_campaign IS NOT NULL THEN
    PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''campaign'', thread_campaign, ''{"kind":"progress"}''::jsonb, interval ''1 second'')\073
  END IF\073
  RETURN NULL\073
END
';
CREATE TRIGGER "Message_changed" AFTER INSERT OR UPDATE OF "status" ON "Message" FOR EACH ROW EXECUTE FUNCTION leadflow_message_changed();

-- A campaign's own row changed (launched, paused, halted, completed, pre-flighted): always told.
CREATE FUNCTION leadflow_campaign_changed() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''campaign'', NEW."id", jsonb_build_object(''kind'', ''status'', ''status'', NEW."status"), NULL)\073
  RETURN NULL\073
END
';
CREATE TRIGGER "Campaign_changed" AFTER UPDATE ON "Campaign" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."preflightAt" IS DISTINCT FROM NEW."preflightAt" OR OLD."haltReason" IS DISTINCT FROM NEW."haltReason")
  EXECUTE FUNCTION leadflow_campaign_changed();

-- Recipients change in bulk: one (throttled) progress event per campaign a statement touched.
CREATE FUNCTION leadflow_campaign_recipients_changed() RETURNS trigger
LANGUAGE plpgsql AS E'
DECLARE
  touched record\073
BEGIN
  FOR touched IN SELECT DISTINCT "organizationId", "campaignId" FROM changed LOOP
    PERFORM leadflow_raise_event(touched."organizationId", NULL, ''campaign'', touched."campaignId", ''{"kind":"progress"}''::jsonb, interval ''1 second'')\073
  END LOOP\073
  RETURN NULL\073
END
';
CREATE TRIGGER "CampaignRecipient_changed" AFTER UPDATE ON "CampaignRecipient" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_campaign_recipients_changed();
CREATE TRIGGER "CampaignRecipient_added" AFTER INSERT ON "CampaignRecipient" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_campaign_recipients_changed();

-- Import and skip-trace progress: a status change is always told, progress at most once a second.
CREATE FUNCTION leadflow_job_changed() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  PERFORM leadflow_raise_event(NEW."organizationId", NULL, ''job'', NEW."id",
    jsonb_build_object(''kind'', TG_ARGV[0], ''status'', NEW."status"),
    CASE WHEN NEW."status" IS DISTINCT FROM OLD."status" THEN NULL ELSE interval ''1 second'' END)\073
  RETURN NULL\073
END
';
CREATE TRIGGER "ImportJob_changed" AFTER UPDATE ON "ImportJob" FOR EACH ROW EXECUTE FUNCTION leadflow_job_changed('import');
CREATE TRIGGER "SkipTraceJob_changed" AFTER UPDATE ON "SkipTraceJob" FOR EACH ROW EXECUTE FUNCTION leadflow_job_changed('skip_trace');
