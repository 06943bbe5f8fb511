import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import { leadFilterSql } from "../lead-records/filter-sql";
import type { mapPointOutput, mapPointsInput } from "./schema";

/** A marker's row as Postgres returns it: the output's shape, the value still a bigint column. */
type PointRow = Omit<z.output<typeof mapPointOutput>, "estimatedValueCents"> & { estimatedValueCents: bigint | number | null };

/**
 * The leads of the list's filters that can be placed on a map: the hottest `limit` of those with
 * coordinates (score, then id, so the same filter shows the same markers), with how many match
 * and how many of them have coordinates. Two statements on the same filter SQL as the list.
 */
export async function leadMapPoints(ctx: Pick<ServiceContext, "db" | "orgId">, input: z.output<typeof mapPointsInput>) {
  const where = leadFilterSql(ctx.orgId, input.filters);
  const located = Prisma.sql`l.latitude IS NOT NULL AND l.longitude IS NOT NULL`;
  const [rows, counts] = await Promise.all([
    querySql<PointRow>(
      ctx.db,
      Prisma.sql`
        SELECT l.id, l.latitude, l.longitude, l.temperature::text AS temperature, l.status::text AS status,
          l."addressLine1", l.city, l.state, l.zip, l."ownerName", l."ownerIsCorporate", l.score,
          l."estimatedValueCents", l."equityPct"
        FROM "Lead" l
        WHERE ${where} AND ${located}
        ORDER BY l.score DESC, l.id
        LIMIT ${input.limit}`,
    ),
    querySql<{ total: number; withCoordinates: number }>(
      ctx.db,
      Prisma.sql`SELECT count(*)::int AS total, (count(*) FILTER (WHERE ${located}))::int AS "withCoordinates" FROM "Lead" l WHERE ${where}`,
    ),
  ]);
  return {
    points: rows.map((row) => ({ ...row, estimatedValueCents: row.estimatedValueCents === null ? null : Number(row.estimatedValueCents) })),
    total: counts[0]?.total ?? 0,
    withCoordinates: counts[0]?.withCoordinates ?? 0,
    limit: input.limit,
  };
}
