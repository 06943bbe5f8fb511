import { z } from "zod";
import { SAVED_REPLY_BODY_MAX, SAVED_REPLY_NAME_MAX, savedReplyBodyProblems } from "@/lib/saved-replies";
import { safeString } from "@/lib/text-schema";

/**
 * Saved replies (issue 12 item 4): the organization's shared library of reply texts with merge
 * fields ({{owner_first_name|there}}, lib/sms-template). Every member reads them (the inbox reply
 * box inserts them); managers and admins write them.
 */

const id = safeString().min(1).max(64);

export const savedReplyName = safeString()
  .trim()
  .min(1, "Name the saved reply.")
  .max(SAVED_REPLY_NAME_MAX, `Keep the name under ${SAVED_REPLY_NAME_MAX} characters.`);

export const savedReplyBody = safeString()
  .trim()
  .min(1, "Write the reply.")
  .max(SAVED_REPLY_BODY_MAX, `A text is at most ${SAVED_REPLY_BODY_MAX.toLocaleString("en-US")} characters.`)
  .superRefine((body, ctx) => {
    for (const message of savedReplyBodyProblems(body)) ctx.addIssue({ code: "custom", message });
  });

/** Without an id: a new saved reply; with one: that reply, renamed and/or rewritten. */
export const saveSavedReplyInput = z.object({ id: id.optional(), name: savedReplyName, body: savedReplyBody });
export const savedReplyIdInput = z.object({ id });

export const savedReplyOutput = z.object({
  id: z.string(),
  name: z.string(),
  body: z.string(),
  /** Segments of the body with example merge values (what a lead would typically get). */
  segments: z.number().int(),
  encoding: z.enum(["GSM-7", "UCS-2"]),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const listSavedRepliesOutput = z.object({
  replies: z.array(savedReplyOutput),
  /** The viewer may create, edit and delete (manager or admin). */
  canEdit: z.boolean(),
});
export const okOutput = z.object({ ok: z.literal(true) });
