import "server-only";
import { createTRPCRouter } from "../../trpc";

export const smsSettingsRouter = createTRPCRouter({});
