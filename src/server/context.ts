import "server-only";
import type { Role } from "@/generated/prisma/enums";
import type { Db } from "./db";

/**
 * What every service function takes: who is acting, in which organization, on which database
 * handle. orgProcedure builds it from the session (see trpc.ts); route handlers build it with
 * orgContextFromRequest; jobs build it from the job's row. Services that need less take a Pick.
 */
export type ServiceContext = { db: Db; orgId: string; userId: string; role: Role; requestId: string };
