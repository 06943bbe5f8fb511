-- Room on every page for a row's next version, so the updates that change no indexed column are
-- made in place (heap-only tuples: no new entry in any of the table's indexes). A lead's phone flags
-- (hasPhone, textable) and a phone's status are such updates, made by every opt-out, DNC entry and
-- skip trace: packed full by their inserts, a lead's update wrote an entry into each of its 19
-- indexes (three of them trigram GIN), about 0.2 ms a row. Applies to pages written from now on
-- (new rows, and pages that vacuum frees).
ALTER TABLE "Lead" SET (fillfactor = 90);
ALTER TABLE "LeadPhone" SET (fillfactor = 90);
