-- The reservation of a scheduled reply's send in flight, for the crash takeover
ALTER TABLE "ScheduledReply" ADD COLUMN "reservationId" TEXT
