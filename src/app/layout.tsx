import type { Metadata } from "next";
import { connection } from "next/server";
import { TRPCReactProvider } from "@/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "LeadFlow", template: "%s · LeadFlow" },
  description: "Off-market leads, skip tracing and compliant SMS with hard spending limits.",
  icons: { icon: "/logo.svg" },
};

/**
 * Every page renders per request: the Content-Security-Policy (src/proxy.ts) carries a fresh
 * nonce that Next puts on its scripts while rendering, and a page prerendered at build time
 * would have scripts without it.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
