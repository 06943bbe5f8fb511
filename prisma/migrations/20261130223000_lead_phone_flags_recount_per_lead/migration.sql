-- The lead phone flags' recount reads only the leads it recounts (issue 9's webhook benchmark).
-- Postgres could plan the recount's "has a textable phone" test as one hashed pass over every
-- phone of the organization, and the opt-out check as a scan of the organization's suppressions,
-- whenever the tables' statistics said they were small (a young database, a freshly imported org):
-- auto_explain caught an inbound STOP's recount of 9 leads reading all 5,480 phones and their list
-- entries, 50 ms, growing with the organization, where it needs a few index probes. Now each lead's
-- phones are read by the lead (a LATERAL aggregate: no hashed alternative exists), and a phone's
-- live list entries are found by their unique live keys: "<phone>|" (org-wide) or "<phone>|<lead>"
-- for a suppression, the phone for a DNC entry. Those keys are set while an entry is live and
-- nulled when it is lifted (schema.prisma), so the rule is unchanged: the key match is added to
-- the old conditions, in the recount and in leadflow_phone_textable alike, which stay equal
-- (src/server/leads/counts.int.test.ts compares every lead's flag with it after concurrent writes).
-- The trigger on a new suppression or DNC entry finds its number's leads the same way, one number at
-- a time: its statement has no parameters, so Postgres plans it once per connection, and a plan
-- made for an import of thousands of entries (a hash join over every phone) was kept for the STOPs
-- that came after it on that connection.
-- Function bodies are E-strings with \073 for semicolons (the migration runner splits on them).
CREATE OR REPLACE FUNCTION leadflow_listed_numbers_inserted() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_lock_phone_numbers(array_agg(n."organizationId"), array_agg(n.phone)) FROM new_rows n\073
  PERFORM leadflow_refresh_lead_phone_flags(array_agg(DISTINCT owner."leadId"))
  FROM (SELECT DISTINCT n."organizationId" AS o, n.phone AS phone FROM new_rows n) t
  CROSS JOIN LATERAL (
    SELECT p."leadId" FROM "LeadPhone" p JOIN "Lead" l ON l.id = p."leadId"
    WHERE p."organizationId" = t.o AND p.number = t.phone AND l."textable"
    OFFSET 0
  ) owner\073
  RETURN NULL\073
END\073';

CREATE OR REPLACE FUNCTION leadflow_phone_textable(p "LeadPhone") RETURNS boolean LANGUAGE sql STABLE AS E'
  SELECT p.type IN (''mobile'', ''unknown'') AND NOT p.dnc AND NOT p.tcpa AND p.status = ''ok'' AND p."doNotCallAt" IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM "Suppression" s
      WHERE s."organizationId" = p."organizationId" AND s."liveKey" IN (p.number || ''|'', p.number || ''|'' || p."leadId")
        AND s.phone = p.number AND s."liftedAt" IS NULL AND (s."leadId" IS NULL OR s."leadId" = p."leadId")
    )
    AND NOT EXISTS (
      SELECT 1 FROM "DncEntry" d
      WHERE d."organizationId" = p."organizationId" AND d."liveKey" = p.number AND d.phone = p.number AND d."liftedAt" IS NULL
    )
';

CREATE OR REPLACE FUNCTION leadflow_refresh_lead_phone_flags(lead_ids text[]) RETURNS void LANGUAGE plpgsql AS E'BEGIN
  IF lead_ids IS NULL OR cardinality(lead_ids) = 0 THEN RETURN\073 END IF\073
  PERFORM 1 FROM "Lead" WHERE id = ANY(lead_ids) ORDER BY id FOR NO KEY UPDATE\073
  UPDATE "Lead" l SET "hasPhone" = f.has_phone, "textable" = f.textable
  FROM (
    SELECT x.id, phones.has_phone, phones.textable
    FROM (SELECT DISTINCT u.id FROM unnest(lead_ids) AS u(id)) x
    CROSS JOIN LATERAL (
      SELECT count(*) > 0 AS has_phone,
        count(*) FILTER (
          WHERE p.type IN (''mobile'', ''unknown'') AND NOT p.dnc AND NOT p.tcpa AND p.status = ''ok'' AND p."doNotCallAt" IS NULL
            AND s.id IS NULL AND d.id IS NULL
        ) > 0 AS textable
      FROM "LeadPhone" p
      LEFT JOIN "Suppression" s ON s."organizationId" = p."organizationId" AND s."liveKey" IN (p.number || ''|'', p.number || ''|'' || p."leadId")
        AND s.phone = p.number AND s."liftedAt" IS NULL AND (s."leadId" IS NULL OR s."leadId" = p."leadId")
      LEFT JOIN "DncEntry" d ON d."organizationId" = p."organizationId" AND d."liveKey" = p.number AND d.phone = p.number AND d."liftedAt" IS NULL
      WHERE p."leadId" = x.id
    ) phones
  ) f
  WHERE l.id = ANY(lead_ids) AND l.id = f.id AND (l."hasPhone" IS DISTINCT FROM f.has_phone OR l."textable" IS DISTINCT FROM f.textable)\073
END\073';

-- Planned for each call, not once per connection: a plan cached while a table was small (its first
-- rows of the day, a young database) kept scanning it whole as it grew, until statistics caught up.
ALTER FUNCTION leadflow_refresh_lead_phone_flags(text[]) SET plan_cache_mode = force_custom_plan;
