"use client";

import { PagedList } from "@/components/shared/paged-list";
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { describeError } from "@/components/shared/trpc-error";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { AddOptOutForm } from "./add-opt-out-form";
import { ImportOptOuts } from "./import-opt-outs";
import { LiftOptOutDialog } from "./lift-opt-out-dialog";
import { exportUrl, OPT_OUTS_PAGE_SIZE, REASON_LABELS, STATE_LABELS, type OptOutFilters, type OptOutReason, type OptOutRow } from "./opt-outs-filters";
import { OptOutsTable, OptOutsTableSkeleton } from "./opt-outs-table";

type Role = "admin" | "manager" | "user";

/** The list with its filters, and (by role) add, import, export and lift. */
export function OptOutsWorkspace({ role }: { role: Role }) {
  const canManage = role !== "user";
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [reason, setReason] = useState<OptOutReason | "">("");
  const [state, setState] = useState<NonNullable<OptOutFilters["state"]>>("live");
  const [lifting, setLifting] = useState<OptOutRow | null>(null);

  // The search applies a moment after typing stops.
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const filters: OptOutFilters = { state, ...(q ? { q } : {}), ...(reason ? { reason } : {}) };
  const list = api.suppressions.list.useInfiniteQuery(
    { filters, limit: OPT_OUTS_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData },
  );
  const utils = api.useUtils();
  const refresh = () => utils.suppressions.list.invalidate();
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(q || reason || state !== "live");

  return (
    <div className="space-y-6">
      <div className={canManage ? "grid gap-6 lg:grid-cols-2" : ""}>
        <AddOptOutForm onAdded={refresh} />
        {canManage && <ImportOptOuts onImported={refresh} />}
      </div>

      <Card
        title="Suppression list"
        description="Newest first. A number listed as opted out is refused by every campaign, inbox reply and auto-reply."
        actions={
          canManage ? (
            <a href={exportUrl(filters)} className={secondaryLinkClass} data-testid="opt-outs-export" download>
              Export CSV
            </a>
          ) : undefined
        }
      >
        <form className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter opt-outs" onSubmit={(event) => event.preventDefault()}>
          <div className="w-56">
            <Field label="Phone contains" error={list.error ? describeError(list.error).fieldErrors["filters.q"] : undefined}>
              {(p) => <Input {...p} type="search" inputMode="tel" placeholder="512 555" value={search} onChange={(e) => setSearch(e.target.value)} />}
            </Field>
          </div>
          <div className="w-56">
            <Field label="Reason">
              {(p) => (
                <Select {...p} value={reason} onChange={(e) => setReason(e.target.value as OptOutReason | "")}>
                  <option value="">Any reason</option>
                  {(Object.keys(REASON_LABELS) as OptOutReason[]).map((value) => (
                    <option key={value} value={value}>{REASON_LABELS[value]}</option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <div className="w-56">
            <Field label="Status">
              {(p) => (
                <Select {...p} value={state} onChange={(e) => setState(e.target.value as keyof typeof STATE_LABELS)}>
                  {(Object.keys(STATE_LABELS) as (keyof typeof STATE_LABELS)[]).map((value) => (
                    <option key={value} value={value}>{STATE_LABELS[value]}</option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          {filtered && (
            <Button type="button" variant="ghost" onClick={() => { setSearch(""); setQ(""); setReason(""); setState("live"); }}>
              Clear filters
            </Button>
          )}
        </form>

        <PagedList
          list={list}
          count={rows.length}
          what="the opt-outs"
          loading={<OptOutsTableSkeleton />}
          emptyTestId="opt-outs-empty"
          empty={filtered ? "No opt-outs match these filters." : "No one has opted out yet. STOP replies and refusals will appear here by themselves."}
        >
          <OptOutsTable rows={rows} canLift={canManage} onLift={setLifting} />
        </PagedList>
      </Card>

      {lifting && (
        <LiftOptOutDialog
          row={lifting}
          onClose={() => setLifting(null)}
          onLifted={() => {
            setLifting(null);
            void refresh();
          }}
        />
      )}
    </div>
  );
}
