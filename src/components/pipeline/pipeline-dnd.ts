import {
  pointerWithin,
  rectIntersection,
  type Announcements,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  type ScreenReaderInstructions,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { STATUS_LABELS, type LeadListItem } from "@/components/leads/labels";
import { isPipelineStatus } from "./pipeline-state";

/** What a draggable card carries, so a drop knows the lead without looking it up. */
export type CardDragData = { lead: LeadListItem };

export const cardDragData = (data: unknown): CardDragData | null => {
  const lead = (data as Partial<CardDragData> | null | undefined)?.lead;
  return lead ? { lead } : null;
};

/** The pointer decides where a mouse drop lands; a keyboard drag (no pointer) uses the card's box. */
export const boardCollisionDetection: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const within = pointerWithin(args);
    if (within.length > 0) return within;
  }
  return rectIntersection(args);
};

/**
 * Keyboard dragging jumps a whole column per arrow press (left/right), instead of dnd-kit's
 * default 25px nudges; the card keeps its height so it stays over the (equal-height) columns.
 */
export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const step = event.code === "ArrowRight" ? 1 : event.code === "ArrowLeft" ? -1 : 0;
  const { collisionRect, droppableRects, over, active } = context;
  if (step === 0 || !collisionRect) return undefined;
  event.preventDefault();
  const columns = [...droppableRects.entries()].sort(([, a], [, b]) => a.left - b.left);
  const currentId: UniqueIdentifier | undefined = over?.id ?? cardDragData(active?.data.current)?.lead.status;
  const index = columns.findIndex(([id]) => id === currentId);
  const target = columns[index + step];
  if (index === -1 || !target) return currentCoordinates;
  const [, rect] = target;
  return { x: rect.left + (rect.width - collisionRect.width) / 2, y: currentCoordinates.y };
};

const columnName = (id: UniqueIdentifier | undefined) => (isPipelineStatus(id) ? STATUS_LABELS[id] : "no column");
const leadName = (data: unknown) => cardDragData(data)?.lead.addressLine1 ?? "The lead";

export const screenReaderInstructions: ScreenReaderInstructions = {
  draggable:
    "To move this lead to another pipeline column, press Space or Enter to pick it up, use the left and right arrow keys to choose a column, then press Space or Enter to drop it, or Escape to cancel. You can also use the Move to menu on the card.",
};

export const announcements: Announcements = {
  onDragStart: ({ active }) => {
    const data = cardDragData(active.data.current);
    return `Picked up ${leadName(active.data.current)}, in ${columnName(data?.lead.status)}.`;
  },
  onDragOver: ({ active, over }) =>
    over ? `${leadName(active.data.current)} is over ${columnName(over.id)}.` : `${leadName(active.data.current)} is not over a column.`,
  onDragEnd: ({ active, over }) => {
    const from = cardDragData(active.data.current)?.lead.status;
    if (!over || over.id === from) return `${leadName(active.data.current)} was dropped back in ${columnName(from)}.`;
    return `${leadName(active.data.current)} was moved from ${columnName(from)} to ${columnName(over.id)}.`;
  },
  onDragCancel: ({ active }) => {
    const from = cardDragData(active.data.current)?.lead.status;
    return `Moving ${leadName(active.data.current)} was cancelled. It stays in ${columnName(from)}.`;
  },
};
