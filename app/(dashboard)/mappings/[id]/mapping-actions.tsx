"use client";
import { useRouter } from "next/navigation";
// Workflow buttons: only the actions the viewer's role allows and the state permits are shown.
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { ConfirmButton, ConfirmDialog } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-bits";

interface Props {
  mappingId: string;
  status: string;
  headStatus: string;
  permissions: { submit: boolean; approve: boolean; reject: boolean; deprecate: boolean };
  blockedByFourEyes: boolean;
}

export function MappingActions({ mappingId, status, headStatus, permissions, blockedByFourEyes }: Props) {
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [pending, setPending] = useState(false);
  /** The server's reason when approving needs a confirmation (the revision rejects too much recent traffic). */
  const [overThreshold, setOverThreshold] = useState<string | null>(null);

  async function run(action: "submit" | "approve" | "reject" | "deprecate", confirmRejections = false) {
    setPending(true);
    const body = { ...(comment ? { comment } : {}), ...(confirmRejections ? { confirm_rejections: true } : {}) };
    const result = await callApi("POST", `/api/mappings/${mappingId}/${action}`, body);
    setPending(false);
    if (!result.ok && result.error.code === "confirmation_required") {
      setMessage({});
      return setOverThreshold(result.error.message);
    }
    if (!result.ok)
      return setMessage({
        error: result.error.issues?.[0]?.message
          ? `${result.error.message}: ${result.error.issues[0].message}`
          : result.error.message,
      });
    setMessage({
      success: {
        submit: "Submitted for review.",
        approve: "Approved: this revision is now live.",
        reject: "Rejected.",
        deprecate: "Deprecated.",
      }[action],
    });
    setComment("");
    router.refresh();
  }

  const canSubmit = permissions.submit && headStatus === "draft" && status !== "deprecated";
  const reviewing = headStatus === "in_review" && status !== "deprecated";
  const canReview = reviewing && (permissions.approve || permissions.reject);
  const canDeprecate = permissions.deprecate && status === "approved";
  if (!canSubmit && !canReview && !canDeprecate) {
    return message.success ? <FormAlert success={message.success} /> : null;
  }
  return (
    <div className="panel">
      <FormAlert error={message.error} success={message.success} />
      <ConfirmDialog
        open={overThreshold !== null}
        onOpenChange={(open) => {
          if (!open) setOverThreshold(null);
        }}
        title="Approve a revision that rejects recent traffic?"
        description={overThreshold}
        confirm="Approve anyway"
        onConfirm={() => {
          setOverThreshold(null);
          return run("approve", true);
        }}
      />
      {canReview || canDeprecate ? (
        <label>
          Comment {canReview && permissions.reject ? "(required to reject)" : ""}
          <textarea aria-label="Review comment" value={comment} onChange={(e) => setComment(e.target.value)} />
        </label>
      ) : null}
      <div className="row" style={{ marginTop: ".6rem" }}>
        {canSubmit ? (
          <button type="button" className="primary" disabled={pending} onClick={() => void run("submit")}>
            Submit for review
          </button>
        ) : null}
        {reviewing && permissions.approve ? (
          <button
            type="button"
            className="primary"
            disabled={pending || blockedByFourEyes}
            onClick={() => void run("approve")}
          >
            Approve
          </button>
        ) : null}
        {reviewing && permissions.reject ? (
          <ConfirmButton
            disabled={pending}
            title="Reject this revision?"
            description="The revision is closed as rejected; its author has to propose a new one. The live revision, if any, stays in force."
            confirm="Reject"
            onConfirm={() => run("reject")}
          >
            Reject
          </ConfirmButton>
        ) : null}
        {canDeprecate ? (
          <ConfirmButton
            disabled={pending}
            title="Deprecate this mapping?"
            description="Its events stop being delivered from now on: they are stored as unmapped. A new mapping can take its place."
            confirm="Deprecate"
            onConfirm={() => run("deprecate")}
          >
            Deprecate
          </ConfirmButton>
        ) : null}
        {reviewing && permissions.approve && blockedByFourEyes ? (
          <span className="muted">You submitted this revision; another reviewer must approve it.</span>
        ) : null}
      </div>
    </div>
  );
}
