-- Rotating an endpoint's signing secret: the replaced secret (sealed like the current one) keeps
-- signing beside the new one until previousSecretExpiresAt, so receivers can switch over.
ALTER TABLE "WebhookEndpoint" ADD COLUMN "previousSecret" TEXT, ADD COLUMN "previousSecretExpiresAt" TIMESTAMP(3);
