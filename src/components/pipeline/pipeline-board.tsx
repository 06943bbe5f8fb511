"use client";

import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from "@dnd-kit/core";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { api } from "@/trpc/react";
import { STATUS_LABELS, type LeadListItem, type LeadStatus } from "@/components/leads/labels";
import { PipelineCardView } from "./pipeline-card";
import { PipelineColumn } from "./pipeline-column";
import { announcements, boardCollisionDetection, cardDragData, columnKeyboardCoordinates, screenReaderInstructions } from "./pipeline-dnd";
import { PipelineFilters } from "./pipeline-filters";
import { PipelineForecast } from "./pipeline-forecast";
import { formatCompactCents } from "./money";
import {
  adjustCounts,
  boardFiltersFromParams,
  columnInput,
  findCard,
  hasBoardFilters,
  insertCard,
  isPipelineStatus,
  paramsWithBoardFilters,
  PIPELINE_STATUSES,
  removeCard,
  type BoardFilters,
} from "./pipeline-state";

type MoveSource = "pointer" | "keyboard" | "menu";
type FocusTarget = { id: string; status: LeadStatus };

/** The kanban board: a column per status, drag-and-drop (mouse, touch, keyboard) or "Move to". */
export function PipelineBoard() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const paramString = params.toString();
  const filters = useMemo(() => boardFiltersFromParams(new URLSearchParams(paramString)), [paramString]);
  const setFilters = useCallback(
    (next: BoardFilters) => {
      const query = paramsWithBoardFilters(new URLSearchParams(paramString), next).toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [paramString, pathname, router],
  );

  const counts = api.leads.counts.useQuery({ filters });
  const summary = api.pipeline.summary.useQuery({ filters });
  const valueOf = (status: LeadStatus) => summary.data?.stages.find((stage) => stage.status === status)?.valueCents;
  const { ref: boardRef, overflows } = useOverflowHint();
  const { moveLead, failure, dismissFailure, notice, focusTarget, clearFocus } = usePipelineMoves(filters);

  const [activeLead, setActiveLead] = useState<LeadListItem | null>(null);
  const keyboardDrag = useRef(false);
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 5 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );
  const dndId = useId();

  function onDragStart({ active, activatorEvent }: DragStartEvent) {
    setActiveLead(cardDragData(active.data.current)?.lead ?? null);
    keyboardDrag.current = activatorEvent instanceof KeyboardEvent;
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    setActiveLead(null);
    const lead = cardDragData(active.data.current)?.lead;
    if (lead && over && isPipelineStatus(over.id) && over.id !== lead.status) {
      void moveLead(lead, over.id, keyboardDrag.current ? "keyboard" : "pointer");
    }
  }

  const filtered = hasBoardFilters(filters);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PipelineFilters filters={filters} onChange={setFilters} />
        <p className="text-sm text-slate-500" data-testid="pipeline-total">
          {counts.data && `${counts.data.total.toLocaleString()} ${counts.data.total === 1 ? "lead" : "leads"}${filtered ? " match" : ""} · `}
          {summary.data && (
            <span data-testid="pipeline-open-value">
              {formatCompactCents(summary.data.forecast.openValueCents)} open pipeline ·{" "}
            </span>
          )}
          <Link href="/leads" className="font-medium text-brand-600 hover:underline">List view</Link>
        </p>
      </div>

      {counts.isError && <Alert tone="error">Couldn&apos;t load the column counts: {describeError(counts.error).message}</Alert>}

      <DndContext
        id={dndId}
        sensors={sensors}
        collisionDetection={boardCollisionDetection}
        accessibility={{ announcements, screenReaderInstructions }}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setActiveLead(null)}
      >
        {overflows && (
          <p className="text-xs text-slate-500" data-testid="pipeline-scroll-hint">
            Scroll sideways to see all {PIPELINE_STATUSES.length} stages →
          </p>
        )}
        {/* All 8 stages fit from about 1400 px (compact columns, at least 8rem each); narrower, the board scrolls sideways with the hint above. */}
        <div ref={boardRef} className="overflow-x-auto pb-3" data-testid="pipeline-board">
          <div className="grid auto-cols-[minmax(8rem,1fr)] grid-flow-col items-stretch gap-2">
            {PIPELINE_STATUSES.map((status) => (
              <PipelineColumn
                key={status}
                status={status}
                filters={filters}
                count={counts.data?.byStatus[status]}
                countLoading={counts.isPending}
                valueCents={summary.isPending ? undefined : (valueOf(status) ?? 0)}
                today={summary.data?.today}
                filtered={filtered}
                focusId={focusTarget?.status === status ? focusTarget.id : null}
                onFocused={clearFocus}
                onMove={(lead, to) => void moveLead(lead, to, "menu")}
              />
            ))}
          </div>
        </div>
        <DragOverlay dropAnimation={null}>
          {activeLead && <PipelineCardView lead={activeLead} today={summary.data?.today} className="w-40 rotate-2 cursor-grabbing shadow-lg ring-1 ring-brand-500/40" />}
        </DragOverlay>
      </DndContext>

      <PipelineForecast summary={summary} />

      <p className="sr-only" aria-live="polite" aria-atomic>{notice}</p>
      {failure && (
        <div className="fixed bottom-4 right-4 z-50 w-[min(24rem,calc(100vw-2rem))] shadow-lg" data-testid="pipeline-toast">
          <Alert tone="error" className="flex items-start justify-between gap-3">
            <span>{failure}</span>
            <button type="button" onClick={dismissFailure} className="shrink-0 rounded px-1 font-medium text-red-900 hover:bg-red-100" aria-label="Dismiss">
              ✕
            </button>
          </Alert>
        </div>
      )}
    </div>
  );
}

/**
 * Optimistic moves: the card changes column and the counts adjust at once; the update runs;
 * a failure puts the card back where it was and says why. When the last pending move settles,
 * the lists and counts refetch so the board matches the server.
 */
function usePipelineMoves(filters: BoardFilters) {
  const utils = api.useUtils();
  const update = api.leads.update.useMutation();
  const { mutateAsync } = update;
  const inFlight = useRef(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  /** The card to focus once it shows up in its new column (keyboard and menu moves). */
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);

  const moveLead = useCallback(
    async (lead: LeadListItem, to: LeadStatus, source: MoveSource) => {
      const from = lead.status;
      if (from === to) return;
      const fromInput = columnInput(filters, from);
      const toInput = columnInput(filters, to);
      const countsInput = { filters };
      inFlight.current += 1;
      setFailure(null);
      if (source !== "pointer") setFocusTarget({ id: lead.id, status: to });

      await Promise.all([utils.leads.list.cancel(), utils.leads.counts.cancel()]);
      const original = findCard(utils.leads.list.getInfiniteData(fromInput), lead.id) ?? lead;
      const moved: LeadListItem = { ...original, status: to, updatedAt: new Date() };
      utils.leads.list.setInfiniteData(fromInput, (data) => removeCard(data, lead.id));
      utils.leads.list.setInfiniteData(toInput, (data) => insertCard(data, moved));
      utils.leads.counts.setData(countsInput, (counts) => adjustCounts(counts, from, to));
      // Drags are announced by dnd-kit; a menu move is announced here.
      if (source === "menu") setNotice(`Moved ${lead.addressLine1} to ${STATUS_LABELS[to]}.`);

      try {
        await mutateAsync({ id: lead.id, patch: { status: to } });
      } catch (error) {
        utils.leads.list.setInfiniteData(toInput, (data) => removeCard(data, lead.id));
        utils.leads.list.setInfiniteData(fromInput, (data) => insertCard(data, original));
        utils.leads.counts.setData(countsInput, (counts) => adjustCounts(counts, to, from));
        if (source !== "pointer") setFocusTarget({ id: lead.id, status: from });
        const reason = describeError(error).message.replace(/[.!]?$/, ".");
        setFailure(`Couldn't move ${lead.addressLine1} to ${STATUS_LABELS[to]}: ${reason} It is back in ${STATUS_LABELS[from]}.`);
      } finally {
        inFlight.current -= 1;
        void utils.leads.get.invalidate({ id: lead.id });
        if (inFlight.current === 0) await Promise.all([utils.leads.list.invalidate(), utils.leads.counts.invalidate(), utils.pipeline.summary.invalidate()]);
      }
    },
    [filters, mutateAsync, utils],
  );

  return {
    moveLead,
    failure,
    dismissFailure: useCallback(() => setFailure(null), []),
    notice,
    focusTarget,
    clearFocus: useCallback(() => setFocusTarget(null), []),
  };
}

/** Whether the board is wider than its box (then a hint says it scrolls sideways). */
function useOverflowHint() {
  const ref = useRef<HTMLDivElement | null>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const check = () => setOverflows(node.scrollWidth > node.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(node);
    if (node.firstElementChild) observer.observe(node.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return { ref, overflows };
}
