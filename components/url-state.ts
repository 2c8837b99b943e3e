"use client";
// Table state lives in the URL: every filter, sort and page is linkable and server-rendered.
import { usePathname, useRouter, useSearchParams } from "next/navigation";

export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  function update(changes: Record<string, string | number | null | undefined>, resetPage = true) {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === "") next.delete(key);
      else next.set(key, String(value));
    }
    // A new filter or sort starts at the first page (offset or keyset cursor).
    if (resetPage && !("page" in changes)) {
      next.delete("page");
      next.delete("cursor");
    }
    const query = next.toString();
    router.push(query ? `${pathname}?${query}` : pathname);
  }
  return { params, update };
}
