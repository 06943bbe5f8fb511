"use client";

import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, Skeleton } from "@/components/ui/card";

/** The parts of an OpenAPI 3.1 document this page shows. */
type Schema = { type?: string | string[]; enum?: unknown[]; items?: Schema; properties?: Record<string, Schema>; required?: string[]; description?: string; anyOf?: Schema[]; $ref?: string; format?: string; maximum?: number; minimum?: number; maxLength?: number; pattern?: string; default?: unknown };
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string }>;
  "x-scope"?: string;
};
type Document = { info: { title: string; version: string; description?: string }; servers?: { url: string }[]; paths: Record<string, Record<string, Operation>> };

export const OPENAPI_URL = "/api/v1/openapi.json";

const METHOD_TONE: Record<string, "green" | "blue" | "amber" | "red" | "slate"> = { get: "blue", post: "green", put: "amber", patch: "amber", delete: "red" };

function typeOf(schema: Schema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return schema.$ref.split("/").pop() ?? "object";
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.map((type) => (type === "array" ? `${typeOf(schema.items)}[]` : type)).join(" | ") || "object";
}

function FieldTable({ rows }: { rows: { name: string; where?: string; required: boolean; schema?: Schema; description?: string }[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs">
        <thead className="uppercase text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Field</th>
            <th className="py-1 pr-3 font-medium">Type</th>
            <th className="py-1 font-medium">Notes</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={`${row.where ?? ""}${row.name}`}>
              <td className="py-1 pr-3 font-mono">
                {row.name}
                {row.required && <span className="text-red-600" title="required">*</span>}
                {row.where && <span className="ml-1 text-slate-400">({row.where})</span>}
              </td>
              <td className="max-w-xs break-words py-1 pr-3 font-mono text-slate-600">{typeOf(row.schema)}</td>
              <td className="py-1 text-slate-600">{row.description ?? row.schema?.description ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OperationCard({ method, path, operation }: { method: string; path: string; operation: Operation }) {
  const body = operation.requestBody?.content["application/json"]?.schema;
  const bodyRows = Object.entries(body?.properties ?? {}).map(([name, schema]) => ({ name, required: body?.required?.includes(name) ?? false, schema }));
  const parameterRows = (operation.parameters ?? []).map((parameter) => ({ name: parameter.name, where: parameter.in, required: parameter.required ?? false, schema: parameter.schema, description: parameter.description }));
  return (
    <section className="rounded-md border border-slate-200 p-3" id={operation.operationId} data-testid={`operation-${method.toUpperCase()} ${path}`}>
      <h3 className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={METHOD_TONE[method] ?? "slate"}>{method.toUpperCase()}</Badge>
        <code className="font-mono">/api/v1{path}</code>
        <span className="font-medium">{operation.summary}</span>
        {operation["x-scope"] && <span className="ml-auto font-mono text-xs text-slate-500">{operation["x-scope"]}</span>}
      </h3>
      {operation.description && <p className="mt-1 whitespace-pre-line text-sm text-slate-600">{operation.description.replaceAll("`", "")}</p>}
      {parameterRows.length > 0 && (
        <div className="mt-2">
          <p className="text-xs font-semibold text-slate-700">Parameters</p>
          <FieldTable rows={parameterRows} />
        </div>
      )}
      {bodyRows.length > 0 && (
        <div className="mt-2">
          <p className="text-xs font-semibold text-slate-700">JSON body</p>
          <FieldTable rows={bodyRows} />
        </div>
      )}
      <p className="mt-2 text-xs text-slate-500">
        Responses: {Object.entries(operation.responses).map(([status, response]) => `${status} ${response.description}`).join(" · ")}
      </p>
    </section>
  );
}

/** The REST API's reference, rendered from its OpenAPI document (so it can never disagree with it). */
export function ApiReference() {
  const [document, setDocument] = useState<Document | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch(OPENAPI_URL)
      .then(async (response) => {
        if (!response.ok) throw new Error(`The API document could not be loaded (HTTP ${response.status}).`);
        return (await response.json()) as Document;
      })
      .then((loaded) => {
        if (live) setDocument(loaded);
      })
      .catch((error: unknown) => {
        if (live) setFailed(error instanceof Error ? error.message : "The API document could not be loaded.");
      });
    return () => {
      live = false;
    };
  }, []);

  if (failed) return <Alert tone="error">{failed}</Alert>;
  if (!document) {
    return (
      <Card>
        <div className="space-y-2">{Array.from({ length: 6 }, (_, i) => <Skeleton key={i} className="h-8 w-full" />)}</div>
      </Card>
    );
  }
  const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
  const tags = [...new Set(operations.map(({ operation }) => operation.tags?.[0] ?? "Other"))];
  return (
    <div className="space-y-6">
      <Card title={`${document.info.title} ${document.info.version}`} actions={<a href={OPENAPI_URL} className="text-sm font-medium text-brand-700 hover:underline">OpenAPI document (JSON)</a>}>
        <p className="whitespace-pre-line text-sm text-slate-700">{document.info.description?.replaceAll("`", "")}</p>
        <p className="mt-2 text-sm text-slate-700">
          Example: <code className="break-all rounded bg-slate-100 px-1 font-mono text-xs">curl -H &quot;Authorization: Bearer lf_…&quot; {typeof window === "undefined" ? "" : window.location.origin}/api/v1/leads?limit=10</code>
        </p>
      </Card>
      {tags.map((tag) => (
        <Card key={tag} title={tag}>
          <div className="space-y-3">
            {operations
              .filter(({ operation }) => (operation.tags?.[0] ?? "Other") === tag)
              .map(({ path, method, operation }) => <OperationCard key={`${method} ${path}`} method={method} path={path} operation={operation} />)}
          </div>
        </Card>
      ))}
    </div>
  );
}
