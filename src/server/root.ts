import "server-only";
import { accountRouter } from "./account/router";
import { auditRouter, organizationRouter, usersRouter } from "./admin/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  organization: organizationRouter,
  users: usersRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
