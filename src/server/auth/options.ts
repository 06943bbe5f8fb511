import "server-only";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { db } from "../db";
import { env } from "../env";
import { headers } from "next/headers";
import { clientIpFrom } from "../request";
import { checkCredentials } from "./credentials";
import { endSession, SESSION_MAX_AGE_SECONDS, startSession } from "./sessions";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
    /** The AuthSession row this browser signed in as; checked on every request. */
    sessionId?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}

/** What a session token says: its user and AuthSession row (next-auth's session callback, and getSession without next-auth). */
export function sessionOfToken(token: JWT): Pick<Session, "sessionId"> & { user?: Session["user"] } {
  return { ...(token.sub ? { user: { id: token.sub, email: token.email ?? "", name: token.name } } : {}), sessionId: token.sid };
}

/** The browser that is signing in, for the list of active sessions. */
async function signingInDevice(): Promise<{ userAgent: string | null; ip: string | null }> {
  try {
    const requestHeaders = await headers();
    return { userAgent: requestHeaders.get("user-agent"), ip: clientIpFrom(requestHeaders) };
  } catch {
    return { userAgent: null, ip: null };
  }
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
 * Sessions are JWTs that carry the user id and the id of an AuthSession row (`sid`) made at
 * sign-in. The row, role, organization and deactivation are read from the database on every
 * request (auth/membership.ts), so signing out or revoking a session ends it at once; a session
 * also ends after SESSION_IDLE_MS without requests or SESSION_MAX_AGE_SECONDS in all.
 */
export const authOptions: NextAuthOptions = {
  // The adapter's types come from @auth/core and drift from next-auth v4's; they agree at runtime.
  adapter: PrismaAdapter(db as never) as NextAuthOptions["adapter"],
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) throw new Error("Enter your email and password.");
        const outcome = await checkCredentials(db, credentials.email, credentials.password, clientIpFrom(req?.headers));
        if (!outcome.ok) throw new Error(outcome.reason);
        return outcome.user;
      },
    }),
    ...oauthProviders,
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sid = (await startSession(db, user.id, await signingInDevice())).id;
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, ...sessionOfToken(token) };
    },
  },
  events: {
    async signOut({ token }) {
      if (token?.sid) await endSession(db, token.sid);
    },
  },
};
