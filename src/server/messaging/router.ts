import "server-only";
import { createTRPCRouter } from "../trpc";

export const messagingRouter = createTRPCRouter({});
