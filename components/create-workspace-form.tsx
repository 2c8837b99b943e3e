"use client";
import { useRouter } from "next/navigation";
import { callApi } from "@/components/ui/api-client";
import { FormAlert, TextField } from "@/components/ui/form-bits";
import { useApiForm } from "@/components/ui/use-api-form";
import { workspaceCreateSchema } from "@/lib/validations/workspace";

export function CreateWorkspaceForm() {
  const router = useRouter();
  const form = useApiForm<typeof workspaceCreateSchema, { slug: string }>(
    workspaceCreateSchema,
    "POST",
    "/api/workspaces",
  );
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const created = await form.submit({ name: String(data.get("name") ?? ""), slug: String(data.get("slug") ?? "") });
    if (created) {
      await callApi("POST", "/api/workspaces/switch", { workspace: created.slug }, { success: false });
      router.push("/");
      router.refresh();
    }
  }
  return (
    <form className="form" onSubmit={onSubmit}>
      <FormAlert error={form.error} />
      <TextField label="Workspace name" name="name" errors={form.errors} />
      <TextField label="Slug" name="slug" placeholder="acme-growth" errors={form.errors} />
      <button className="primary" type="submit" disabled={form.pending}>
        Create workspace
      </button>
    </form>
  );
}
