import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import {
  createTaskInput,
  leadTasksInput,
  leadTasksOutput,
  myTaskCountOutput,
  myTasksOutput,
  okOutput,
  setTaskDoneInput,
  taskIdInput,
  taskOutput,
  updateTaskInput,
} from "./schema";
import * as tasks from "./service";

/** Follow-ups on leads (issue 14 item 11); any member of the organization may manage them, like notes. */
export const tasksRouter = createTRPCRouter({
  forLead: orgProcedure.input(leadTasksInput).output(leadTasksOutput).query(({ ctx, input }) => tasks.leadTasks(ctx, input.leadId)),
  mine: orgProcedure.output(myTasksOutput).query(({ ctx }) => tasks.myTasks(ctx)),
  myCount: orgProcedure.output(myTaskCountOutput).query(({ ctx }) => tasks.myTaskCount(ctx)),
  create: orgProcedure.input(createTaskInput).output(taskOutput).mutation(({ ctx, input }) => tasks.createTask(ctx, input)),
  update: orgProcedure.input(updateTaskInput).output(taskOutput).mutation(({ ctx, input }) => tasks.updateTask(ctx, input)),
  setDone: orgProcedure.input(setTaskDoneInput).output(taskOutput).mutation(({ ctx, input }) => tasks.setTaskDone(ctx, input)),
  delete: orgProcedure.input(taskIdInput).output(okOutput).mutation(({ ctx, input }) => tasks.deleteTask(ctx, input.id)),
});
