import { randomInt, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { authOptions } from "@/server/auth/options";
import { hashPassword } from "@/server/auth/password";
import { PEER_ADDRESS_HEADER } from "@/server/peer-address";
import { clientIpFrom } from "@/server/request";
import { createOrganization } from "@/test/factories";

const PASSWORD = "correct horse battery staple";

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string } | null>;
const credentialsProvider = authOptions.providers.find((provider) => provider.id === "credentials") as unknown as {
  options: { authorize: Authorize };
};
/** The credentials sign-in exactly as next-auth calls it: headers as a plain object. */
const authorize: Authorize = (credentials, req) => credentialsProvider.options.authorize(credentials, req);

const freshAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe("clientIpFrom: whose address a request is", () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it("uses the connection's address and ignores X-Forwarded-For when no proxy is trusted", () => {
    const request = headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" });
    expect(clientIpFrom(request, 0)).toBe("203.0.113.7");
  });

  it("has no address rather than a client's claim when the connection's address is unknown", () => {
    expect(clientIpFrom(headers({ "x-forwarded-for": "1.2.3.4" }), 0)).toBeNull();
  });

  it("takes the entry the nearest trusted proxy appended, not what the client wrote before it", () => {
    const viaOneProxy = headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.9" });
    expect(clientIpFrom(viaOneProxy, 1)).toBe("198.51.100.9");
    const viaTwoProxies = headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.9, 10.0.0.3" });
    expect(clientIpFrom(viaTwoProxies, 2)).toBe("198.51.100.9");
  });

  it("falls back to the connection when a trusted proxy sent no X-Forwarded-For", () => {
    expect(clientIpFrom(headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2" }), 1)).toBe("10.0.0.2");
  });

  it("reads next-auth's plain header objects and unwraps IPv4-mapped IPv6 addresses", () => {
    expect(clientIpFrom({ [PEER_ADDRESS_HEADER]: "::ffff:127.0.0.1", "x-forwarded-for": "1.2.3.4" }, 0)).toBe("127.0.0.1");
  });
});

describe("credentials sign-in: the per-IP limit", () => {
  let email: string;

  beforeAll(async () => {
    const org = await createOrganization();
    email = `ip-limit-${randomUUID().slice(0, 8)}@example.com`;
    const user = await db.user.create({ data: { email, name: "Ira Limit", passwordHash: await hashPassword(PASSWORD) } });
    await db.membership.create({ data: { organizationId: org.id, userId: user.id, role: "user" } });
  });

  it("cannot be escaped by sending a new X-Forwarded-For with every attempt", async () => {
    const attacker = freshAddress();
    for (let i = 0; i < env.LOGIN_MAX_FAILURES * 4; i++) {
      const sprayed = `sprayed-${i}-${randomUUID().slice(0, 6)}@example.com`;
      await expect(
        authorize({ email: sprayed, password: "wrong password" }, { headers: { [PEER_ADDRESS_HEADER]: attacker, "x-forwarded-for": freshAddress() } }),
      ).rejects.toThrow("That email and password do not match.");
    }
    const recorded = await db.loginAttempt.groupBy({ by: ["ip"], where: { email: { startsWith: "sprayed-" } }, _count: true });
    expect(recorded).toEqual([{ ip: attacker, _count: env.LOGIN_MAX_FAILURES * 4 }]);

    const fromAttacker = authorize({ email, password: PASSWORD }, { headers: { [PEER_ADDRESS_HEADER]: attacker, "x-forwarded-for": freshAddress() } });
    await expect(fromAttacker).rejects.toThrow(/^Too many failed sign-ins/);
    const fromElsewhere = await authorize({ email, password: PASSWORD }, { headers: { [PEER_ADDRESS_HEADER]: freshAddress() } });
    expect(fromElsewhere).toMatchObject({ email });
  });
});
