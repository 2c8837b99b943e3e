// GET /api/openapi.json — the management API contract (public: it holds no data).

import { openApiDocument } from "@/lib/api/openapi/index";
import { json } from "@/lib/api/route";

export function GET() {
  return json(openApiDocument());
}
