"use client";
// True once the page's client code runs. A form that submits through fetch keeps its button
// disabled until then: a click before hydration would submit natively, as a GET that puts the
// fields (an e-mail, a password) in the URL and the server's access log.
import { useEffect, useState } from "react";

export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
