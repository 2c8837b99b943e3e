export function Forbidden({ action, role }: { action: string; role: string }) {
  return (
    <div className="panel" role="alert">
      <h1>Not allowed</h1>
      <p className="muted">
        Your role in this workspace ({role}) cannot {action}. Ask an admin if you need it.
      </p>
    </div>
  );
}
