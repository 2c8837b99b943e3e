const SKELETON_ROWS = ["a", "b", "c", "d", "e", "f", "g", "h"];

export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading">
      <div className="skeleton" style={{ width: "30%", height: "1.6rem" }} />
      {SKELETON_ROWS.map((row) => (
        <div key={row} className="skeleton" />
      ))}
    </div>
  );
}
