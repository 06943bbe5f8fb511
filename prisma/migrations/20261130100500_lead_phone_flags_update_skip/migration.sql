-- The lead phone flags' upkeep when phones are updated, cheaper (issue 9's webhook benchmark, the
-- companion of 20261130095500_listed_numbers_flags_only_textable). An inbound STOP's one statement
-- inserts the number's suppression and marks the number's lead phones opted out. Both tables'
-- triggers recounted the same lead: whichever fires first sets textable false, the second found
-- nothing to change. In the webhook's statement the suppression's trigger fires first, so this is
-- the one that now skips: a phone update that can only take a textable phone away, on a lead that
-- already reads as having a phone and not textable, changes neither flag, and that lead is not
-- recounted. The rule (leadflow_phone_textable) is unchanged, and any other update recounts as before.
-- Why skipping is exact: the number locks are still taken first, so a change to that number's
-- suppressions or DNC entries waits for this transaction. A lead is skipped only when, in this
-- statement, none of its phones moved to or from another lead and every new version of its
-- phones fails the phone's own textable conditions (type, dnc, tcpa, status, do not call): the set
-- of its textable phones can only shrink, and the lead reads (after those locks) as having a phone
-- and not textable. That read is this transaction's own recount (its row lock held to commit, so
-- a concurrent recount of the lead waits and then sees this update) or a committed one, which a
-- change to another of the lead's phones can raise only through its own trigger, under the lead's
-- lock, reading the lead's phones as committed.
-- Function bodies are E-strings with \073 for semicolons (the migration runner splits on them).
CREATE OR REPLACE FUNCTION leadflow_lead_phones_updated() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  PERFORM leadflow_lock_phone_numbers(array_agg(u.o), array_agg(u.n)) FROM (
    SELECT n."organizationId" AS o, n.number AS n FROM new_rows n UNION SELECT x."organizationId", x.number FROM old_rows x
  ) u\073
  PERFORM leadflow_refresh_lead_phone_flags(array_agg(DISTINCT u.id)) FROM (
    SELECT n."leadId" AS id FROM new_rows n UNION SELECT x."leadId" FROM old_rows x
  ) u
  WHERE NOT (
    EXISTS (SELECT 1 FROM "Lead" l WHERE l.id = u.id AND l."hasPhone" AND NOT l."textable")
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
