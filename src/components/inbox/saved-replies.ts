"use client";

import { api } from "@/trpc/react";

export type SavedReplyOption = { id: string; name: string; body: string };

/** The organization's saved replies for the reply box (savedReplies.list); absent until loaded or when there are none. */
export function useSavedReplies(): { available: boolean; items: SavedReplyOption[] } {
  const list = api.savedReplies.list.useQuery(undefined, { staleTime: 60_000 });
  const items = list.data?.replies.map((reply) => ({ id: reply.id, name: reply.name, body: reply.body })) ?? [];
  return { available: items.length > 0, items };
}
