-- CreateTable
CREATE TABLE "LeadCount" (
    "organizationId" TEXT NOT NULL,
    "status" "LeadStatus" NOT NULL,
    "temperature" "Temperature" NOT NULL,
    "source" "LeadSource" NOT NULL,
    "hasPhone" BOOLEAN NOT NULL,
    "skipTraced" BOOLEAN NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "LeadCount_pkey" PRIMARY KEY ("organizationId","status","temperature","source","hasPhone","skipTraced","archived")
);

-- AddForeignKey
ALTER TABLE "LeadCount" ADD CONSTRAINT "LeadCount_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Lead counts maintained by statement-level triggers on "Lead" (issue 15): every INSERT, UPDATE and
-- DELETE statement adds its net change per dimension combination to "LeadCount" in the same
-- transaction, so the counters are exact under concurrent writes, bulk actions and imports.
-- Function bodies use \073 for semicolons (migrations are split on semicolons).
CREATE OR REPLACE FUNCTION leadflow_lead_counts_insert() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCount" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count")
  SELECT n."organizationId", n."status", n."temperature", n."source", n."hasPhone", n."skipTracedAt" IS NOT NULL, n."archivedAt" IS NOT NULL, count(*)::int
  FROM new_rows n GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived")
  DO UPDATE SET "count" = "LeadCount"."count" + EXCLUDED."count"\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_lead_counts_update() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  INSERT INTO "LeadCount" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count")
  SELECT d.o, d.s, d.t, d.src, d.p, d.st, d.a, sum(d.delta)::int FROM (
    SELECT n."organizationId" AS o, n."status" AS s, n."temperature" AS t, n."source" AS src, n."hasPhone" AS p, n."skipTracedAt" IS NOT NULL AS st, n."archivedAt" IS NOT NULL AS a, 1 AS delta FROM new_rows n
    UNION ALL
    SELECT x."organizationId", x."status", x."temperature", x."source", x."hasPhone", x."skipTracedAt" IS NOT NULL, x."archivedAt" IS NOT NULL, -1 FROM old_rows x
  ) d
  GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived")
  DO UPDATE SET "count" = "LeadCount"."count" + EXCLUDED."count"\073
  RETURN NULL\073
END\073';

-- A delete only lowers existing counters: when the organization itself is being deleted its
-- counters may already be gone (cascade), and nothing may be re-created for it.
CREATE OR REPLACE FUNCTION leadflow_lead_counts_delete() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  UPDATE "LeadCount" c SET "count" = c."count" - d.n FROM (
    SELECT x."organizationId" AS o, x."status" AS s, x."temperature" AS t, x."source" AS src, x."hasPhone" AS p, x."skipTracedAt" IS NOT NULL AS st, x."archivedAt" IS NOT NULL AS a, count(*)::int AS n
    FROM old_rows x GROUP BY 1, 2, 3, 4, 5, 6, 7
  ) d
  WHERE c."organizationId" = d.o AND c."status" = d.s AND c."temperature" = d.t AND c."source" = d.src AND c."hasPhone" = d.p AND c."skipTraced" = d.st AND c."archived" = d.a\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_lead_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  DELETE FROM "LeadCount"\073
  RETURN NULL\073
END\073';

CREATE TRIGGER "Lead_counts_insert" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_counts_insert();
CREATE TRIGGER "Lead_counts_update" AFTER UPDATE ON "Lead" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_counts_update();
CREATE TRIGGER "Lead_counts_delete" AFTER DELETE ON "Lead" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_counts_delete();
CREATE TRIGGER "Lead_counts_truncate" AFTER TRUNCATE ON "Lead"
  FOR EACH STATEMENT EXECUTE FUNCTION leadflow_lead_counts_truncate();

-- The leads that exist now.
INSERT INTO "LeadCount" ("organizationId", "status", "temperature", "source", "hasPhone", "skipTraced", "archived", "count")
SELECT l."organizationId", l."status", l."temperature", l."source", l."hasPhone", l."skipTracedAt" IS NOT NULL, l."archivedAt" IS NOT NULL, count(*)::int
FROM "Lead" l GROUP BY 1, 2, 3, 4, 5, 6, 7;
