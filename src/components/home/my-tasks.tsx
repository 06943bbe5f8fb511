"use client";

import Link from "next/link";
import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { useTaskChanges } from "@/components/tasks/use-task-changes";
import { formatTaskDue } from "@/lib/task-due";
import { api, type RouterOutputs } from "@/trpc/react";

type MyTask = RouterOutputs["tasks"]["mine"]["overdue"][number];

/** Home's "My tasks": the caller's open tasks that are overdue or due today, ticked off in place. */
export function MyTasks() {
  const [mine] = api.tasks.mine.useSuspenseQuery();
  const empty = mine.overdue.length === 0 && mine.dueToday.length === 0;
  return (
    <Card title="My tasks" description="Overdue and due today, assigned to you." className="lg:col-span-2">
      <div data-testid="home-my-tasks" className="space-y-3">
        {empty ? (
          <p className="text-sm text-slate-500">Nothing due today. Add follow-ups from a lead&apos;s page; they show here the day they are due.</p>
        ) : (
          <>
            {mine.overdue.length > 0 && <TaskGroup title={`Overdue (${mine.overdueTotal})`} tone="red" tasks={mine.overdue} today={mine.today} more={mine.overdueTotal - mine.overdue.length} />}
            {mine.dueToday.length > 0 && <TaskGroup title={`Today (${mine.dueTodayTotal})`} tone="amber" tasks={mine.dueToday} today={mine.today} more={mine.dueTodayTotal - mine.dueToday.length} />}
          </>
        )}
      </div>
    </Card>
  );
}

function TaskGroup({ title, tone, tasks, today, more }: { title: string; tone: "red" | "amber"; tasks: MyTask[]; today: string; more: number }) {
  return (
    <section>
      <h3 className={cn("text-xs font-semibold uppercase tracking-wide", tone === "red" ? "text-red-700" : "text-amber-700")}>{title}</h3>
      <ul className="divide-y divide-slate-100">
        {tasks.map((task) => <MyTaskRow key={task.id} task={task} today={today} />)}
      </ul>
      {more > 0 && <p className="text-xs text-slate-500">and {more} more</p>}
    </section>
  );
}

function MyTaskRow({ task, today }: { task: MyTask; today: string }) {
  const changed = useTaskChanges(task.leadId);
  // Ticked at once, in the click's own render: the mutation's pending state reaches React a task later.
  const [ticked, setTicked] = useState(false);
  const setDone = api.tasks.setDone.useMutation({ onSettled: changed, onError: () => setTicked(false) });
  return (
    <li className="flex items-start gap-2 py-2" data-testid="home-task">
      <input
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 rounded border-slate-300 text-brand-600"
        checked={ticked}
        disabled={setDone.isPending}
        aria-label={`Mark done: ${task.note}`}
        onChange={() => {
          setTicked(true);
          setDone.mutate({ id: task.id, done: true });
        }}
      />
      <div className="min-w-0 flex-1">
        <p className="break-words text-sm text-slate-900">{task.note}</p>
        <p className="text-xs text-slate-500">
          <span className={cn(task.when === "overdue" ? "font-medium text-red-700" : "text-amber-700")}>{formatTaskDue(task.dueOn, task.dueTime, today)}</span>
          {" · "}
          <Link href={`/leads/${task.leadId}`} className="text-brand-700 hover:underline">
            {task.lead.addressLine1}, {task.lead.city}
          </Link>
        </p>
        {setDone.error && <p role="alert" className="text-xs text-red-700">{describeError(setDone.error).message}</p>}
      </div>
    </li>
  );
}
