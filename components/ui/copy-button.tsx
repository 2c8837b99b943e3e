"use client";
// A button that copies a text to the clipboard and says so in a polite live region.
import { useState } from "react";

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setSaid(`${label}: copied to the clipboard.`);
    } catch {
      setSaid(`${label}: could not copy; select the text and copy it by hand.`);
    }
  }
  return (
    <span className="row">
      <button type="button" onClick={() => void copy()} aria-label={label}>
        Copy
      </button>
      <span aria-live="polite" className="muted">
        {said}
      </span>
    </span>
  );
}

/** A code block with its copy button. */
export function CopyableCode({ code, label }: { code: string; label: string }) {
  return (
    <div className="copyable">
      <div className="spread">
        <strong>{label.replace(/^Copy /, "")}</strong>
        <CopyButton text={code} label={label} />
      </div>
      <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>{code}</pre>
    </div>
  );
}
