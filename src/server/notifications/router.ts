import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import {
  countOutput,
  listNotificationsInput,
  listNotificationsOutput,
  markReadInput,
  notificationPreferencesOutput,
  unreadCountOutput,
  updateNotificationPreferencesInput,
} from "./schema";
import {
  getNotificationPreferences,
  listNotifications,
  markAllNotificationsRead,
  markNotificationsRead,
  unreadNotificationCount,
  updateNotificationPreferences,
} from "./service";

/** The signed-in user's own in-app notifications (the bell) and which kinds they want. */
export const notificationsRouter = createTRPCRouter({
  list: orgProcedure.input(listNotificationsInput).output(listNotificationsOutput).query(({ ctx, input }) => listNotifications(ctx, input)),
  unreadCount: orgProcedure.output(unreadCountOutput).query(({ ctx }) => unreadNotificationCount(ctx)),
  markRead: orgProcedure.input(markReadInput).output(countOutput).mutation(({ ctx, input }) => markNotificationsRead(ctx, input)),
  markAllRead: orgProcedure.output(countOutput).mutation(({ ctx }) => markAllNotificationsRead(ctx)),
  preferences: orgProcedure.output(notificationPreferencesOutput).query(({ ctx }) => getNotificationPreferences(ctx)),
  updatePreferences: orgProcedure
    .input(updateNotificationPreferencesInput)
    .output(notificationPreferencesOutput)
    .mutation(({ ctx, input }) => updateNotificationPreferences(ctx, input)),
});
