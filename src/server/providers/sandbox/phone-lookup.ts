/**
 * The sandbox phone lookup: deterministic by number, no network, used in development and when
 * Twilio credentials are not configured.
 *
 * It agrees with the line type the sandbox skip trace gave a number (`sandboxLineOf`), except for
 * about one number in ten that has since been ported to another line type — stale line types are
 * what a real lookup catches — and a line type the skip trace did not know is resolved.
 */
import { seededRandom } from "@/lib/random";
import { billed, ProviderCallError, type Billed } from "../billing";
import {
  phoneLookupNumberProblem,
  type PhoneLookup,
  type PhoneLookupOptions,
  type PhoneLookupResult,
} from "../phone-lookup";
import type { PhoneType } from "../skip-trace";
import { SANDBOX_CARRIERS, sandboxLineOf } from "./skip-trace";

/** How Twilio would spell the line type, for a Twilio-shaped `raw`. */
const TWILIO_TYPE_BY_LINE_TYPE: Record<PhoneType, string> = {
  mobile: "mobile",
  landline: "landline",
  voip: "nonFixedVoip",
  unknown: "unknown",
};

const PORT_TARGETS = ["mobile", "landline", "voip"] as const;

export function createSandboxPhoneLookup(): PhoneLookup {
  return {
    name: "sandbox",
    simulated: true,
    async lookup(e164: string, opts: PhoneLookupOptions = {}): Promise<Billed<PhoneLookupResult>> {
      opts.signal?.throwIfAborted();
      const problem = phoneLookupNumberProblem(e164);
      if (problem) throw new ProviderCallError("BAD_REQUEST", problem);
      const { lineType, carrier } = sandboxLine(e164);
      const value: PhoneLookupResult = {
        number: e164,
        lineType,
        carrier,
        valid: true,
        raw: {
          sandbox: true,
          phone_number: e164,
          valid: true,
          line_type_intelligence: {
            type: TWILIO_TYPE_BY_LINE_TYPE[lineType],
            carrier_name: carrier,
            error_code: null,
          },
        },
      };
      return { value, billing: billed(1) };
    },
  };
}

function sandboxLine(e164: string): { lineType: PhoneType; carrier: string | null } {
  const listed = sandboxLineOf(e164);
  const random = seededRandom(`lookup:${e164}`);
  if (listed.type !== "unknown" && !random.chance(0.1)) {
    return { lineType: listed.type, carrier: listed.carrier };
  }
  const lineType = random.pick(PORT_TARGETS.filter((type) => type !== listed.type));
  return { lineType, carrier: random.pick(SANDBOX_CARRIERS[lineType]) };
}
