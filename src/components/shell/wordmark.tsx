import { cn } from "@/components/ui/cn";

/** The logo and the product's name, as the sidebar, the mobile menu, the sign-in pages and the 404 show them. */
export function Wordmark({ size = "md", className }: { size?: "md" | "lg"; className?: string }) {
  return (
    <span className={cn("flex items-center gap-2", className)}>
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src="/logo.svg" alt="" className={size === "lg" ? "size-8" : "size-7"} />
      <span className={cn("font-semibold tracking-tight", size === "lg" ? "text-xl" : "text-lg")}>LeadFlow</span>
    </span>
  );
}
