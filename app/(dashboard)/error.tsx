"use client";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="panel" role="alert">
      <h1>Something went wrong</h1>
      <p className="muted">
        The page could not be loaded. Try again; if it keeps failing, share this reference with an engineer:{" "}
        <code>{error.digest ?? "n/a"}</code>
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
