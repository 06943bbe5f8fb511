-- Global search (issue 13 item 5): a lead found by any part of a phone number typed in any
-- format (its digits, anywhere in the E.164 form). A full number is an exact match on
-- "LeadPhone_organizationId_number_idx", a partial one ("555-01", "60255") uses this trigram index.
-- Address and owner use the trigram indexes on "Lead" (migration 20261122124800_leads_crm),
-- threads the one on "Conversation"."phone" (20261129234800_inbox_threads).
CREATE INDEX "LeadPhone_number_trgm" ON "LeadPhone" USING GIN ("number" gin_trgm_ops);
