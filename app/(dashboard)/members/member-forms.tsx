"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { FieldError, FormAlert } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { ROLES } from "@/lib/auth/permissions";
import { memberAddSchema } from "@/lib/validations/registry";

export function AddMemberForm() {
  const form = useApiForm(memberAddSchema, "POST", "/api/members");
  const [done, setDone] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    const password = String(data.get("password") ?? "");
    const saved = await form.submit({
      email: String(data.get("email") ?? ""),
      role: String(data.get("role") ?? ""),
      ...(data.get("name") ? { name: String(data.get("name")) } : {}),
      ...(password ? { password } : {}),
    });
    if (saved) {
      setDone("Member added.");
      el.reset();
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormAlert error={form.error} success={done} />
      <label>
        Email
        <input name="email" type="email" />
        <FieldError errors={form.errors} name="email" />
      </label>
      <label>
        Name
        <input name="name" />
      </label>
      <label>
        Role
        <select name="role" defaultValue="viewer">
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <label>
        Initial password (only for people without an account)
        <input name="password" type="password" autoComplete="new-password" />
        <FieldError errors={form.errors} name="password" />
      </label>
      <button className="primary" type="submit" disabled={form.pending}>
        Add member
      </button>
    </form>
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
            onChange={(e) => void send("PATCH", { role: e.target.value })}
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        ) : (
          member.role
        )}
        {error ? <div className="field-error">{error}</div> : null}
      </td>
      <td>{new Date(member.created_at).toLocaleDateString()}</td>
      <td>
        {manage ? (
          <button
            type="button"
            className="danger"
            onClick={() => window.confirm(`Remove ${member.email}?`) && void send("DELETE")}
          >
            Remove
          </button>
        ) : null}
      </td>
    </tr>
  );
}
