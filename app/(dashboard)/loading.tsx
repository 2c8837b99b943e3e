export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <div className="skeleton" style={{ width: "30%", height: "1.6rem" }} />
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="skeleton" />
      ))}
    </div>
  );
}
