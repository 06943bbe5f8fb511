import type { Metadata } from "next";
import { ApiReference } from "@/components/api-keys/api-reference";
import { PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "API reference" };

/** Every operation of the REST API, from its OpenAPI document; any signed-in member may read it. */
export default function ApiReferencePage() {
  return (
    <>
      <PageHeader title="API reference" description="The REST API at /api/v1, rendered from its OpenAPI document." />
      <ApiReference />
    </>
  );
}
