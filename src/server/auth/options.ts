import "server-only";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { db } from "../db";
import { env } from "../env";
import { checkCredentials } from "./credentials";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
  }
}

function clientIp(headers: Record<string, unknown> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  return first || (typeof headers?.["x-real-ip"] === "string" ? (headers["x-real-ip"] as string) : null);
}

const oauthProviders = [
  env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET
    ? GoogleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET })
    : null,
  env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET
    ? GitHubProvider({ clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET })
    : null,
].filter((provider) => provider !== null);

export const oauthProviderIds = oauthProviders.map((provider) => provider.id);

/**
 * Sessions are JWTs that carry only the user id. Role, organization and deactivation are read
 * from the database on every request (see orgProcedure and the signed-in layout).
 */
export const authOptions: NextAuthOptions = {
  // The adapter's types come from @auth/core and drift from next-auth v4's; they agree at runtime.
  adapter: PrismaAdapter(db as never) as NextAuthOptions["adapter"],
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) throw new Error("Enter your email and password.");
        const outcome = await checkCredentials(db, credentials.email, credentials.password, clientIp(req?.headers));
        if (!outcome.ok) throw new Error(outcome.reason);
        return outcome.user;
      },
    }),
    ...oauthProviders,
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user = { id: token.sub, email: token.email ?? "", name: token.name };
      return session;
    },
  },
};
