import "server-only";

type Direction = "asc" | "desc";

/**
 * The where-clause for "rows after this one" in ORDER BY field <dir>, id <dir>, using Postgres'
 * default null placement (last when ascending, first when descending). Written out instead of
 * Prisma's `cursor`, which (with the JS query engine) fetches every remaining row and trims in
 * memory rather than emitting LIMIT on a keyset.
 */
export function keysetAfter<T extends string>(
  field: T,
  direction: Direction,
  value: unknown,
  id: string,
  column: { nullable?: boolean; enumOrder?: readonly string[] } = {},
): Record<string, unknown> {
  const past = direction === "asc" ? "gt" : "lt";
  const sameValueLaterId = { AND: [{ [field]: value }, { id: { [past]: id } }] };
  if (column.enumOrder) {
    // Enums sort in declaration order and have no gt/lt filter: list the values that come after.
    const at = column.enumOrder.indexOf(value as string);
    const later = direction === "asc" ? column.enumOrder.slice(at + 1) : column.enumOrder.slice(0, at);
    return { OR: [{ [field]: { in: later } }, sameValueLaterId] };
  }
  if (!column.nullable) return { OR: [{ [field]: { [past]: value } }, sameValueLaterId] };
  if (value === null) {
    // Nulls come last ascending (only other nulls follow) and first descending (then all values).
    return direction === "asc"
      ? { AND: [{ [field]: null }, { id: { [past]: id } }] }
      : { OR: [{ AND: [{ [field]: null }, { id: { [past]: id } }] }, { NOT: { [field]: null } }] };
  }
  const beyond = { [field]: { [past]: value } };
  return direction === "asc" ? { OR: [beyond, sameValueLaterId, { [field]: null }] } : { OR: [beyond, sameValueLaterId] };
}
