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
  // The last value this input committed, and whether the user typed since. React may show that
  // value late (a render held back while data loads); text typed meanwhile must not be put back.
  const [committed, setCommitted] = useState<{ value: string; typedSince: boolean } | null>(null);
  if (value !== seen) {
    setSeen(value);
    const ownLateCommit = committed !== null && committed.typedSince && value === committed.value;
    if (value !== draft.trim() && !ownLateCommit) setDraft(value);
  }
  const commitNow = (next: string) => {
    setCommitted({ value: next, typedSince: false });
    onCommit(next);
  };
  const commit = useRef(commitNow);
  useEffect(() => {
    commit.current = commitNow;
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
      onChange={(event) => {
        setDraft(event.target.value);
        setCommitted((last) => (last && !last.typedSince ? { ...last, typedSince: true } : last));
      }}
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
