-- The lead phone flags' upkeep on phone updates reads each changed lead by its id, whatever plan
-- Postgres keeps (the companion of 20261130223000_lead_phone_flags_recount_per_lead). The trigger's
-- statements have no parameters, so Postgres plans them once per connection, for the size of the
-- first update it sees: after a bulk update (thousands of phones), the kept plan hashed every lead
-- of the database to test "already reads as having a phone and not textable", and each later
-- one-phone update on that connection, an inbound STOP's among them, read them all again
-- (src/server/leads/phone-flags-plans.int.test.ts: 6,003 leads for one phone). The lead's flags are
-- now read by a LATERAL subquery that cannot be flattened (OFFSET 0), so an index probe per lead.
-- The skip rule is unchanged (20261130100500_lead_phone_flags_update_skip explains it): the lead's
-- row is unique by id, so "a row exists with hasPhone and not textable" is that row's flags.
-- Function bodies are E-strings with \073 for semicolons (the migration runner splits on them).
CREATE OR REPLACE FUNCTION leadflow_lead_phones_updated() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_lock_phone_numbers(array_agg(u.o), array_agg(u.n)) FROM (
    SELECT n."organizationId" AS o, n.number AS n FROM new_rows n UNION SELECT x."organizationId", x.number FROM old_rows x
  ) u\073
  PERFORM leadflow_refresh_lead_phone_flags(array_agg(DISTINCT u.id)) FROM (
    SELECT n."leadId" AS id FROM new_rows n UNION SELECT x."leadId" FROM old_rows x
  ) u
  LEFT JOIN LATERAL (
    SELECT l."hasPhone" AND NOT l."textable" AS settled FROM "Lead" l WHERE l.id = u.id OFFSET 0
  ) lead ON true
  WHERE NOT (
    coalesce(lead.settled, false)
    AND NOT EXISTS (
      SELECT 1 FROM new_rows n WHERE n."leadId" = u.id
        AND n.type IN (''mobile'', ''unknown'') AND NOT n.dnc AND NOT n.tcpa AND n.status = ''ok'' AND n."doNotCallAt" IS NULL
    )
    AND NOT EXISTS (
      SELECT 1 FROM old_rows x WHERE x."leadId" = u.id
        AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = x.id AND n."leadId" = x."leadId")
    )
    AND NOT EXISTS (
      SELECT 1 FROM new_rows n WHERE n."leadId" = u.id
        AND NOT EXISTS (SELECT 1 FROM old_rows x WHERE x.id = n.id AND x."leadId" = n."leadId")
    )
  )\073
  RETURN NULL\073
END\073';
