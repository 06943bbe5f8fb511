"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, Input, Select } from "@/components/ui/field";
import { personName } from "@/components/leads/labels";
import { formatTaskDue } from "@/lib/task-due";
import { api, type RouterOutputs } from "@/trpc/react";
import { useTaskChanges } from "./use-task-changes";

type Task = RouterOutputs["tasks"]["forLead"]["tasks"][number];

/** A lead's follow-ups (issue 14 item 11): add one with a due day (and time), assign it, tick it off. */
export function LeadTasks({ leadId, viewerId }: { leadId: string; viewerId: string }) {
  const tasks = api.tasks.forLead.useQuery({ leadId });
  const [adding, setAdding] = useState(false);
  const open = tasks.data?.tasks.filter((task) => task.when !== "done") ?? [];
  const done = tasks.data?.tasks.filter((task) => task.when === "done") ?? [];
  return (
    <Card
      title="Tasks"
      description={tasks.data ? `Due times are in ${tasks.data.timeZone.replace(/_/g, " ")}.` : undefined}
      actions={
        !adding && (
          <Button size="sm" variant="secondary" onClick={() => setAdding(true)}>
            Add task
          </Button>
        )
      }
    >
      <div className="space-y-3" data-testid="lead-tasks">
        {adding && tasks.data && <TaskForm leadId={leadId} viewerId={viewerId} today={tasks.data.today} onDone={() => setAdding(false)} />}
        {tasks.isPending ? (
          <div className="space-y-2" aria-hidden>
            <Skeleton className="h-5 w-full" />
            <Skeleton className="h-5 w-2/3" />
          </div>
        ) : tasks.isError ? (
          <p role="alert" className="text-sm text-red-700">Couldn&apos;t load the tasks: {describeError(tasks.error).message}</p>
        ) : open.length === 0 && done.length === 0 ? (
          !adding && <p className="text-sm text-slate-500">No follow-ups yet. Add one so it shows on Home the day it is due.</p>
        ) : (
          <>
            {open.length > 0 ? (
              <ul className="divide-y divide-slate-100" aria-label="Open tasks">
                {open.map((task) => <TaskRow key={task.id} task={task} leadId={leadId} viewerId={viewerId} today={tasks.data.today} />)}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">Nothing open.</p>
            )}
            {done.length > 0 && (
              <details className="text-sm">
                <summary className="cursor-pointer text-slate-500">Done ({done.length})</summary>
                <ul className="mt-1 divide-y divide-slate-100" aria-label="Done tasks">
                  {done.map((task) => <TaskRow key={task.id} task={task} leadId={leadId} viewerId={viewerId} today={tasks.data.today} />)}
                </ul>
              </details>
            )}
          </>
        )}
      </div>
    </Card>
  );
}

function TaskRow({ task, leadId, viewerId, today }: { task: Task; leadId: string; viewerId: string; today: string }) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <li className="py-2">
        <TaskForm leadId={leadId} viewerId={viewerId} today={today} task={task} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return <TaskLine task={task} leadId={leadId} today={today} onEdit={() => setEditing(true)} />;
}

function TaskLine({ task, leadId, today, onEdit }: { task: Task; leadId: string; today: string; onEdit: () => void }) {
  const changed = useTaskChanges(leadId);
  const isDone = task.when === "done";
  // The box follows the click in the click's own render (the mutation's pending state reaches React a
  // task later) and holds it until the refetched task agrees or the change fails.
  const [requestedDone, setRequestedDone] = useState<boolean | null>(null);
  const [shownDone, setShownDone] = useState(isDone);
  if (shownDone !== isDone) {
    setShownDone(isDone);
    setRequestedDone(null);
  }
  const setDone = api.tasks.setDone.useMutation({ onSettled: changed, onError: () => setRequestedDone(null) });
  const remove = api.tasks.delete.useMutation({ onSettled: changed });
  const error = setDone.error ?? remove.error;
  return (
    <li className="flex items-start gap-2 py-2" data-testid="task-row" data-when={task.when}>
      <input
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 rounded border-slate-300 text-brand-600"
        checked={requestedDone ?? isDone}
        disabled={setDone.isPending}
        aria-label={`${isDone ? "Reopen" : "Mark done"}: ${task.note}`}
        onChange={(event) => {
          const done = event.target.checked;
          setRequestedDone(done);
          setDone.mutate({ id: task.id, done });
        }}
      />
      <div className="min-w-0 flex-1">
        <p className={cn("whitespace-pre-wrap break-words text-sm text-slate-900", isDone && "text-slate-500 line-through")}>{task.note}</p>
        <p className="text-xs text-slate-500">
          <span className={cn(task.when === "overdue" && "font-medium text-red-700", task.when === "today" && "font-medium text-amber-700")}>
            {task.when === "overdue" ? "Overdue · " : ""}
            {formatTaskDue(task.dueOn, task.dueTime, today)}
          </span>
          {" · "}
          {personName(task.assignee) ?? "Unassigned"}
        </p>
        {error && <p role="alert" className="text-xs text-red-700">{describeError(error).message}</p>}
      </div>
      {!isDone && (
        <button type="button" className="shrink-0 rounded px-1 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-900" aria-label={`Edit task: ${task.note}`} onClick={onEdit}>
          Edit
        </button>
      )}
      <button
        type="button"
        className="shrink-0 rounded px-1 text-xs text-slate-400 hover:bg-slate-100 hover:text-red-700"
        aria-label={`Delete task: ${task.note}`}
        disabled={remove.isPending}
        onClick={() => remove.mutate({ id: task.id })}
      >
        ✕
      </button>
    </li>
  );
}

/** A new task, or the edit of one (task given): note, due day, optional time, assignee. */
function TaskForm({ leadId, viewerId, today, task, onDone }: { leadId: string; viewerId: string; today: string; task?: Task; onDone: () => void }) {
  const assignees = api.leads.assignees.useQuery();
  const changed = useTaskChanges(leadId);
  const [note, setNote] = useState(task?.note ?? "");
  const [dueOn, setDueOn] = useState(task?.dueOn ?? today);
  const [dueTime, setDueTime] = useState(task?.dueTime ?? "");
  const [assigneeId, setAssigneeId] = useState(task ? (task.assignee?.id ?? "") : viewerId);
  const done = {
    onSuccess: () => {
      changed();
      onDone();
    },
  };
  const create = api.tasks.create.useMutation(done);
  const update = api.tasks.update.useMutation(done);
  const save = task ? update : create;
  const failure = save.error ? describeError(save.error) : null;
  return (
    <form
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
      aria-label={task ? "Edit task" : "New task"}
      onSubmit={(event) => {
        event.preventDefault();
        const fields = { note, dueOn, dueTime: dueTime || null, assigneeId: assigneeId || null };
        if (task) update.mutate({ id: task.id, ...fields });
        else create.mutate({ leadId, ...fields });
      }}
    >
      <Field label="What to do" error={failure?.fieldErrors.note}>
        {(props) => <Input {...props} value={note} onChange={(event) => setNote(event.target.value)} placeholder="Call back about the offer" maxLength={2000} required autoFocus />}
      </Field>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Due" error={failure?.fieldErrors.dueOn}>
          {(props) => <Input {...props} type="date" value={dueOn} onChange={(event) => setDueOn(event.target.value)} required />}
        </Field>
        <Field label="Time (optional)" error={failure?.fieldErrors.dueTime}>
          {(props) => <Input {...props} type="time" value={dueTime} onChange={(event) => setDueTime(event.target.value)} />}
        </Field>
      </div>
      <Field label="Assignee" error={failure?.fieldErrors.assigneeId}>
        {(props) => (
          <Select {...props} value={assigneeId} onChange={(event) => setAssigneeId(event.target.value)}>
            <option value="">Nobody</option>
            {(assignees.data ?? [{ id: viewerId, name: "Me", email: "" }]).map((person) => (
              <option key={person.id} value={person.id}>
                {person.id === viewerId ? `${personName(person) ?? "Me"} (me)` : personName(person)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" size="sm" pending={save.isPending}>
          {task ? "Save" : "Add task"}
        </Button>
        <Button type="button" size="sm" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
