/** One colour per paid provider, the same in every spend chart. */
export const PAID_PROVIDER_COLORS = {
  attom: "#2563eb",
  batchdata: "#7c3aed",
  twilio_lookup: "#0d9488",
  twilio_sms: "#db2777",
  openai: "#d97706",
} as const;

export type PaidProviderKey = keyof typeof PAID_PROVIDER_COLORS;

export const PAID_PROVIDER_KEYS = Object.keys(PAID_PROVIDER_COLORS) as PaidProviderKey[];
