"use client";

import { QueryErrorResetBoundary } from "@tanstack/react-query";
import { Component, Suspense } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Skeleton while a suspense query loads; a readable error with "Try again" if it fails. */
export function QueryBoundary({ fallback, children }: { fallback: React.ReactNode; children: React.ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset}>
          <Suspense fallback={fallback}>{children}</Suspense>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

class ErrorBoundary extends Component<{ onReset: () => void; children: React.ReactNode }, { error: unknown }> {
  state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  render() {
    if (this.state.error === null) return this.props.children;
    return (
      <Alert tone="error">
        <p>Couldn&apos;t load this page: {describeError(this.state.error).message}</p>
        <Button
          size="sm"
          variant="secondary"
          className="mt-2"
          onClick={() => {
            this.props.onReset();
            this.setState({ error: null });
          }}
        >
          Try again
        </Button>
      </Alert>
    );
  }
}
