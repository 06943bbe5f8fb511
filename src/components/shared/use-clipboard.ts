"use client";

import { useCallback, useState } from "react";

/** Copies text to the clipboard; `copied` says whether the last copy worked, until `reset`. */
export function useClipboard() {
  const [copied, setCopied] = useState(false);
  const copy = useCallback(async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }, []);
  const reset = useCallback(() => setCopied(false), []);
  return { copied, copy, reset };
}
