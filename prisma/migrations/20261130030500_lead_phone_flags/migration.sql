-- Phones (issue 14 items 1 and 10): a lead "has a phone" when it has any number, and is "textable"
-- when one of its numbers is a mobile or unknown-type line that is not DNC- or TCPA-flagged, not
-- marked wrong, invalid, opted out or do-not-call by a user, and neither on the organization's
-- opt-out list (Suppression, for all leads or this one) nor on its internal do-not-contact list
-- (DncEntry). Both flags live on "Lead" and are kept ONLY by the triggers below, in the writing
-- transaction, whenever a phone, a suppression or a DNC entry changes: the lead counters gain the
-- textable dimension so leads.counts answers both from the counters.
-- Function bodies are E-strings with \073 for semicolons (the migration runner splits on them).

-- AlterEnum: a teammate marked a phone (wrong number, verified, do not call), on the lead timeline.
ALTER TYPE "ActivityKind" ADD VALUE 'phone_marked';

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN "textable" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable: who marked a phone, and when (the lead page's phone actions).
ALTER TABLE "LeadPhone" ADD COLUMN "verifiedAt" TIMESTAMP(3),
ADD COLUMN "verifiedById" TEXT,
ADD COLUMN "wrongNumberAt" TIMESTAMP(3),
ADD COLUMN "wrongNumberById" TEXT,
ADD COLUMN "doNotCallAt" TIMESTAMP(3),
ADD COLUMN "doNotCallById" TEXT;

-- AlterTable: the counters' new dimension.
ALTER TABLE "LeadCount" ADD COLUMN "textable" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "LeadCount" DROP CONSTRAINT "LeadCount_pkey";
ALTER TABLE "LeadCount" ADD CONSTRAINT "LeadCount_pkey" PRIMARY KEY ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable");
ALTER TABLE "LeadCountDelta" ADD COLUMN "textable" BOOLEAN NOT NULL DEFAULT false;

-- One phone can take a text: the one definition (the lead flag, the lead page and the export read it).
CREATE OR REPLACE FUNCTION leadflow_phone_textable(p "LeadPhone") RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT p.type IN ('mobile', 'unknown') AND NOT p.dnc AND NOT p.tcpa AND p.status = 'ok' AND p."doNotCallAt" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = p."organizationId" AND s.phone = p.number AND s."liftedAt" IS NULL AND (s."leadId" IS NULL OR s."leadId" = p."leadId"))
    AND NOT EXISTS (SELECT 1 FROM "DncEntry" d WHERE d."organizationId" = p."organizationId" AND d.phone = p.number AND d."liftedAt" IS NULL)
$$;

-- Serializes flag upkeep per (organization, number bucket): a suppression or DNC entry written at
-- the same time as a phone of that number waits for the other, then reads it (each statement of a
-- plpgsql function reads afresh under READ COMMITTED). 64 buckets per organization keep a 50k-number
-- import to at most 64 locks.
CREATE OR REPLACE FUNCTION leadflow_lock_phone_numbers(orgs text[], numbers text[]) RETURNS void LANGUAGE plpgsql AS E'BEGIN
  PERFORM pg_advisory_xact_lock(k.key) FROM (
    SELECT DISTINCT hashtextextended(''lead-phone-flags:'' || t.o || '':'' || (abs(hashtext(t.n)::bigint) % 64)::text, 0) AS key
    FROM unnest(orgs, numbers) AS t(o, n)
  ) k ORDER BY k.key\073
END\073';

-- Recomputes the two flags of these leads. The leads are locked first (FOR NO KEY UPDATE does not
-- wait for the key-share locks phone inserts hold), so the recount reads every phone committed
-- before: only leads whose flags change are written (which the counters' triggers then count).
CREATE OR REPLACE FUNCTION leadflow_refresh_lead_phone_flags(lead_ids text[]) RETURNS void LANGUAGE plpgsql AS E'BEGIN
  IF lead_ids IS NULL OR cardinality(lead_ids) = 0 THEN RETURN\073 END IF\073
  PERFORM 1 FROM "Lead" WHERE id = ANY(lead_ids) ORDER BY id FOR NO KEY UPDATE\073
  UPDATE "Lead" l SET "hasPhone" = f.has_phone, "textable" = f.textable
  FROM (
    SELECT x.id,
      EXISTS (SELECT 1 FROM "LeadPhone" p WHERE p."leadId" = x.id) AS has_phone,
      EXISTS (SELECT 1 FROM "LeadPhone" p WHERE p."leadId" = x.id AND leadflow_phone_textable(p)) AS textable
    FROM "Lead" x WHERE x.id = ANY(lead_ids)
  ) f
  WHERE l.id = f.id AND (l."hasPhone" IS DISTINCT FROM f.has_phone OR l."textable" IS DISTINCT FROM f.textable)\073
END\073';

-- Phones changed: their leads.
CREATE OR REPLACE FUNCTION leadflow_lead_phones_inserted() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_lock_phone_numbers(array_agg(n."organizationId"), array_agg(n.number)) FROM new_rows n\073
  PERFORM leadflow_refresh_lead_phone_flags(array_agg(DISTINCT n."leadId")) FROM new_rows n\073
  RETURN NULL\073
END\073';
CREATE OR REPLACE FUNCTION leadflow_lead_phones_updated() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_lock_phone_numbers(array_agg(u.o), array_agg(u.n)) FROM (
    SELECT n."organizationId" AS o, n.number AS n FROM new_rows n UNION SELECT x."organizationId", x.number FROM old_rows x
  ) u\073
  PERFORM leadflow_refresh_lead_phone_flags(array_agg(DISTINCT u.id)) FROM (
    SELECT n."leadId" AS id FROM new_rows n UNION SELECT x."leadId" FROM old_rows x
  ) u\073
  RETURN NULL\073
END\073';
CREATE OR REPLACE FUNCTION leadflow_lead_phones_deleted() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_lock_phone_numbers(array_agg(x."organizationId"), array_agg(x.number)) FROM old_rows x\073
  PERFORM leadflow_refresh_lead_phone_flags(array_agg(DISTINCT x."leadId")) FROM old_rows x\073
  RETURN NULL\073
END\073';

-- Opt-outs and DNC entries changed: every lead of the organization with one of those numbers.
CREATE OR REPLACE FUNCTION leadflow_refresh_numbers_phone_flags(orgs text[], numbers text[]) RETURNS void LANGUAGE plpgsql AS E'BEGIN
  IF orgs IS NULL OR cardinality(orgs) = 0 THEN RETURN\073 END IF\073
  PERFORM leadflow_lock_phone_numbers(orgs, numbers)\073
  PERFORM leadflow_refresh_lead_phone_flags(array_agg(DISTINCT p."leadId"))
  FROM "LeadPhone" p JOIN unnest(orgs, numbers) AS t(o, n) ON p."organizationId" = t.o AND p.number = t.n\073
END\073';
CREATE OR REPLACE FUNCTION leadflow_listed_numbers_inserted() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_refresh_numbers_phone_flags(array_agg(n."organizationId"), array_agg(n.phone)) FROM new_rows n\073
  RETURN NULL\073
END\073';
CREATE OR REPLACE FUNCTION leadflow_listed_numbers_updated() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_refresh_numbers_phone_flags(array_agg(u.o), array_agg(u.n)) FROM (
    SELECT n."organizationId" AS o, n.phone AS n FROM new_rows n UNION SELECT x."organizationId", x.phone FROM old_rows x
  ) u\073
  RETURN NULL\073
END\073';
CREATE OR REPLACE FUNCTION leadflow_listed_numbers_deleted() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_refresh_numbers_phone_flags(array_agg(x."organizationId"), array_agg(x.phone)) FROM old_rows x\073
  RETURN NULL\073
END\073';

CREATE TRIGGER "LeadPhone_flags_insert" AFTER INSERT ON "LeadPhone" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_phones_inserted();
CREATE TRIGGER "LeadPhone_flags_update" AFTER UPDATE ON "LeadPhone" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_phones_updated();
CREATE TRIGGER "LeadPhone_flags_delete" AFTER DELETE ON "LeadPhone" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_phones_deleted();
CREATE TRIGGER "Suppression_flags_insert" AFTER INSERT ON "Suppression" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_listed_numbers_inserted();
CREATE TRIGGER "Suppression_flags_update" AFTER UPDATE ON "Suppression" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_listed_numbers_updated();
CREATE TRIGGER "Suppression_flags_delete" AFTER DELETE ON "Suppression" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_listed_numbers_deleted();
CREATE TRIGGER "DncEntry_flags_insert" AFTER INSERT ON "DncEntry" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_listed_numbers_inserted();
CREATE TRIGGER "DncEntry_flags_update" AFTER UPDATE ON "DncEntry" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_listed_numbers_updated();
CREATE TRIGGER "DncEntry_flags_delete" AFTER DELETE ON "DncEntry" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_listed_numbers_deleted();

-- The counters with the textable dimension (the functions of 20261129214500_lead_count_deltas, one column more).
CREATE OR REPLACE FUNCTION leadflow_lead_counts_insert() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCountDelta" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable", "count")
  SELECT n."organizationId", n."status", n."temperature", n."source", n."hasPhone", n."skipTracedAt" IS NOT NULL, n."archivedAt" IS NOT NULL, n."textable", count(*)::int
  FROM new_rows n GROUP BY 1, 2, 3, 4, 5, 6, 7, 8\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_lead_counts_update() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCountDelta" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable", "count")
  SELECT d.o, d.s, d.t, d.src, d.p, d.st, d.a, d.tx, sum(d.delta)::int FROM (
    SELECT n."organizationId" AS o, n."status" AS s, n."temperature" AS t, n."source" AS src, n."hasPhone" AS p, n."skipTracedAt" IS NOT NULL AS st, n."archivedAt" IS NOT NULL AS a, n."textable" AS tx, 1 AS delta FROM new_rows n
    UNION ALL
    SELECT x."organizationId", x."status", x."temperature", x."source", x."hasPhone", x."skipTracedAt" IS NOT NULL, x."archivedAt" IS NOT NULL, x."textable", -1 FROM old_rows x
  ) d
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d.delta) <> 0\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_lead_counts_delete() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCountDelta" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable", "count")
  SELECT x."organizationId", x."status", x."temperature", x."source", x."hasPhone", x."skipTracedAt" IS NOT NULL, x."archivedAt" IS NOT NULL, x."textable", -count(*)::int
  FROM old_rows x JOIN "Organization" o ON o."id" = x."organizationId"
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_fold_lead_count_deltas(org_id TEXT) RETURNS void LANGUAGE sql AS $$
  WITH moved AS (
    DELETE FROM "LeadCountDelta" WHERE "organizationId" = org_id
    RETURNING "organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable", "count"
  )
  INSERT INTO "LeadCount" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable", "count")
  SELECT "organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable", sum("count")::int
  FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "textable")
  DO UPDATE SET "count" = "LeadCount"."count" + EXCLUDED."count"
$$;

-- The leads that exist now get the flags their phones give (the triggers on "Lead" count the change).
SELECT leadflow_refresh_lead_phone_flags(array_agg(l.id)) FROM "Lead" l
WHERE l."hasPhone" OR EXISTS (SELECT 1 FROM "LeadPhone" p WHERE p."leadId" = l.id);
SELECT leadflow_fold_lead_count_deltas(o.id) FROM "Organization" o;
