import { handleRestRequest } from "../rest-handler";

/** The public REST API (issue 13 item 3): every /api/v1 operation, authenticated by API key. */
function handler(req: Request) {
  return handleRestRequest(req);
}

export const dynamic = "force-dynamic";
export { handler as GET, handler as POST, handler as PATCH, handler as PUT, handler as DELETE };
