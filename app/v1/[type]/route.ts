// POST /v1/track|identify|page|screen|group|alias|batch — Segment HTTP Tracking API.
import { NextResponse } from "next/server";
import { handleSegmentBatch, handleSegmentMessage } from "@/lib/ingest/segment-api";
import { SEGMENT_TYPES, type SegmentType } from "@/lib/validations/ingest";

export async function POST(request: Request, { params }: { params: Promise<{ type: string }> }) {
  const { type } = await params;
  if (type === "batch" || type === "import") return handleSegmentBatch(request);
  if (SEGMENT_TYPES.includes(type as SegmentType)) return handleSegmentMessage(request, type as SegmentType);
  return NextResponse.json({ code: "not_found", message: `Unknown endpoint /v1/${type}` }, { status: 404 });
}
