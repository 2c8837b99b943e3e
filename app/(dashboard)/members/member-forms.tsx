"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { ConfirmButton, ConfirmDialog } from "@/components/ui/confirm-button";
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { ROLES } from "@/lib/auth/permissions";
import { invitationCreateSchema } from "@/lib/validations/accounts";

interface Invited {
  email: string;
  delivery: "email" | "link";
  url?: string;
}

/** Invites someone by e-mail and role; they choose their own password when accepting. */
export function InviteMemberForm() {
  const form = useApiForm<typeof invitationCreateSchema, Invited>(invitationCreateSchema, "POST", "/api/invitations");
  const [invited, setInvited] = useState<Invited | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    setInvited(null);
    const saved = await form.submit({ email: String(data.get("email") ?? ""), role: String(data.get("role") ?? "") });
    if (saved) {
      setInvited(saved);
      el.reset();
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert
        error={form.error}
        success={invited?.delivery === "email" ? `Invitation e-mailed to ${invited.email}.` : null}
      />
      {invited?.url ? (
        <div role="status">
          <p>
            No e-mail was sent (SMTP is not configured). Pass this link to {invited.email}; it works once and expires in
            7 days:
          </p>
          <code data-testid="invitation-link">{invited.url}</code>
        </div>
      ) : null}
      <label>
        Email
        <input name="email" type="email" />
        <FieldError errors={form.errors} name="email" />
      </label>
      <label>
        Role
        <select name="role" defaultValue="viewer">
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <button className="primary" type="submit" disabled={form.pending}>
        Send invitation
      </button>
    </form>
  );
}

interface Invitation {
  id: string;
  email: string;
  role: string;
  invited_by: string;
  expires_at: string;
  expired: boolean;
}

export function InvitationRow({ invitation }: { invitation: Invitation }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function revoke() {
    const result = await callApi("DELETE", `/api/invitations/${invitation.id}`);
    setError(result.ok ? null : result.error.message);
    router.refresh();
  }
  return (
    <tr>
      <td>{invitation.email}</td>
      <td>{invitation.role}</td>
      <td>{invitation.invited_by}</td>
      <td>{invitation.expired ? "expired" : new Date(invitation.expires_at).toLocaleString()}</td>
      <td>
        <ConfirmButton
          title={`Revoke the invitation of ${invitation.email}?`}
          description="Its link stops working at once. You can invite them again."
          confirm="Revoke"
          onConfirm={revoke}
        >
          Revoke
        </ConfirmButton>
        {error ? <div className="field-error">{error}</div> : null}
      </td>
    </tr>
  );
}

interface Member {
  id: string;
  email: string;
  name: string | null;
  role: string;
  created_at: string;
}

export function MemberRow({ member, manage, self }: { member: Member; manage: boolean; self: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [newRole, setNewRole] = useState<string | null>(null);
  async function send(method: "PATCH" | "DELETE", body?: unknown) {
    const result = await callApi(method, `/api/members/${member.id}`, body);
    setError(result.ok ? null : result.error.message);
    router.refresh();
  }
  return (
    <tr>
      <td>
        {member.email} {self ? <span className="muted">(you)</span> : null}
      </td>
      <td>{member.name}</td>
      <td>
        {manage ? (
          <select
            aria-label={`Role of ${member.email}`}
            value={member.role}
            onChange={(e) => setNewRole(e.target.value)}
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        ) : (
          member.role
        )}
        {error ? <div className="field-error">{error}</div> : null}
        <ConfirmDialog
          open={newRole !== null}
          onOpenChange={(open) => (open ? undefined : setNewRole(null))}
          title={`Make ${member.email} ${newRole}?`}
          description={`From ${member.role} to ${newRole}: what they may do in this workspace changes at once.`}
          confirm="Change role"
          onConfirm={() => send("PATCH", { role: newRole })}
        />
      </td>
      <td>{new Date(member.created_at).toLocaleDateString()}</td>
      <td>
        {manage ? (
          <ConfirmButton
            title={`Remove ${member.email}?`}
            description="They lose access to this workspace at once."
            confirm="Remove"
            onConfirm={() => send("DELETE")}
          >
            Remove
          </ConfirmButton>
        ) : null}
      </td>
    </tr>
  );
}
