-- A lead of the audience without any phone is still listed (excluded: no_textable_phone)
ALTER TABLE "CampaignRecipient" ALTER COLUMN "phone" DROP NOT NULL;
