import type { Metadata } from "next";
import { Suspense } from "react";
import { PipelineBoard } from "@/components/pipeline/pipeline-board";
import { PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Pipeline" };

export default function PipelinePage() {
  return (
    <>
      <PageHeader title="Pipeline" description="Drag a lead to another column to change its status, or use the Move to menu on its card. Each stage shows its total deal value; the forecast below weighs the open ones." />
      {/* The board reads its filters from the URL. */}
      <Suspense>
        <PipelineBoard />
      </Suspense>
    </>
  );
}
