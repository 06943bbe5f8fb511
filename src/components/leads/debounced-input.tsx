"use client";

import { useEffect, useRef, useState } from "react";
import { Input } from "@/components/ui/field";

type Props = Omit<React.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "defaultValue"> & {
  /** The committed value (from the URL). */
  value: string;
  onCommit: (value: string) => void;
  delayMs?: number;
};

/**
 * A text input that commits after the user pauses typing (or at once on Enter; Escape clears).
 * Follows `value` when it changes from outside, e.g. the back button or "Clear filters".
 */
export function DebouncedInput({ value, onCommit, delayMs = 300, onKeyDown, ...props }: Props) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value !== draft.trim()) setDraft(value);
  }
  const commit = useRef(onCommit);
  useEffect(() => {
    commit.current = onCommit;
  });

  useEffect(() => {
    if (draft.trim() === value.trim()) return;
    const timer = setTimeout(() => commit.current(draft.trim()), delayMs);
    return () => clearTimeout(timer);
  }, [draft, value, delayMs]);

  return (
    <Input
      {...props}
      value={draft}
      onChange={(event) => setDraft(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          if (draft.trim() !== value.trim()) commit.current(draft.trim());
        } else if (event.key === "Escape" && draft !== "") {
          event.preventDefault();
          setDraft("");
          commit.current("");
        }
        onKeyDown?.(event);
      }}
    />
  );
}
