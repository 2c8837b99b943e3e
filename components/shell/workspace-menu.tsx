"use client";
// The workspace picker: a menu listing every workspace by its full name and the person's role in it.
import { useRouter } from "next/navigation";
import { callApi } from "@/components/ui/api-client";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export interface WorkspaceChoice {
  slug: string;
  name: string;
  role: string;
}

export function WorkspaceMenu({ current, workspaces }: { current: string; workspaces: WorkspaceChoice[] }) {
  const router = useRouter();
  const active = workspaces.find((w) => w.slug === current);
  async function switchTo(slug: string) {
    if (slug === current) return;
    const result = await callApi(
      "POST",
      "/api/workspaces/switch",
      { workspace: slug },
      { success: "Workspace switched." },
    );
    if (result.ok) {
      router.push("/mappings");
      router.refresh();
    }
  }
  return (
    <div className="workspace-menu">
      <span className="nav-group-title">Workspace</span>
      <DropdownMenu>
        <DropdownMenuTrigger
          aria-label={`Workspace: ${active?.name ?? current}. Switch workspace`}
          className="mt-1 flex w-full items-center justify-between gap-2 rounded-md border border-slate-600 bg-slate-800 px-2 py-1.5 text-left text-sm text-white"
        >
          <span className="break-words">{active?.name ?? current}</span>
          <span aria-hidden="true">▾</span>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-[var(--radix-dropdown-menu-trigger-width)] min-w-[14rem]">
          <DropdownMenuLabel>Switch workspace</DropdownMenuLabel>
          <DropdownMenuRadioGroup value={current} onValueChange={(slug) => void switchTo(slug)}>
            {workspaces.map((w) => (
              <DropdownMenuRadioItem key={w.slug} value={w.slug} className="break-words">
                <span>
                  {w.name} <span className="text-muted">· {w.role}</span>
                </span>
              </DropdownMenuRadioItem>
            ))}
          </DropdownMenuRadioGroup>
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );
}
