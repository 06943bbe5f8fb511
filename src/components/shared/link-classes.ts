import { cn } from "@/components/ui/cn";

/** Links styled as the small Button variants (for navigation, where a <button> would be wrong). */
const linkButtonClass = "inline-flex items-center justify-center gap-2 rounded-md px-2.5 py-1 text-sm font-medium transition-colors";
export const secondaryLinkClass = cn(linkButtonClass, "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50");
export const primaryLinkClass = cn(linkButtonClass, "bg-brand-600 text-white hover:bg-brand-700");
