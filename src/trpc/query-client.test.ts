import { dehydrate, hydrate } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { createQueryClient } from "./query-client";

const lead = (i: number) => ({
  id: `lead${i}`,
  addressLine1: `${i} Main St`,
  status: "new",
  score: i,
  archivedAt: i === 3 ? new Date("2026-02-03T04:05:06.789Z") : null,
  createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
  assignee: i % 2 ? null : { id: "u1", name: "Ann", email: "ann@example.test" },
  tags: i % 3 ? [] : [{ id: "t1", name: "hot", color: "red" }, { id: "t2", name: "pool", color: "blue" }],
  nextTask: null,
});

describe("the server-rendered page's queries", () => {
  it("reach the browser's cache as the server had them (rows packed, Dates kept)", () => {
    const server = createQueryClient();
    const page = { pages: [{ items: Array.from({ length: 50 }, (_, i) => lead(i)), nextCursor: "lead49" }], pageParams: [null] };
    server.setQueryData(["leads", "list"], page);
    server.setQueryData(["tags"], [{ id: "t1", name: "hot" }, { id: "t2", name: "pool" }]);
    // What the page hands the browser is JSON (the RSC payload).
    const sent = JSON.stringify(dehydrate(server));
    expect(sent.split('"addressLine1"').length - 1).toBe(1);

    const browser = createQueryClient();
    hydrate(browser, JSON.parse(sent));
    expect(browser.getQueryData(["leads", "list"])).toStrictEqual(page);
    expect(browser.getQueryData(["tags"])).toStrictEqual([{ id: "t1", name: "hot" }, { id: "t2", name: "pool" }]);
  });
});
