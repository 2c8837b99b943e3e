"use client";
// The profile search box: a user_id or an anonymous_id, kept in the URL.
import { useRouter } from "next/navigation";
import { useState } from "react";

type By = "user_id" | "anonymous_id";

export function ProfileSearch({ by: initialBy, value: initialValue }: { by: By; value: string }) {
  const router = useRouter();
  const [by, setBy] = useState<By>(initialBy);
  const [value, setValue] = useState(initialValue);
  return (
    <search>
      <form
        className="row panel"
        onSubmit={(e) => {
          e.preventDefault();
          const id = value.trim();
          router.push(id ? `/profiles?${new URLSearchParams({ [by]: id }).toString()}` : "/profiles");
        }}
      >
        <label>
          Search by
          <select aria-label="Search by" value={by} onChange={(e) => setBy(e.target.value as By)}>
            <option value="user_id">user_id</option>
            <option value="anonymous_id">anonymous_id</option>
          </select>
        </label>
        <label>
          Id
          <input
            type="search"
            aria-label="Id"
            placeholder={by === "user_id" ? "cust_2048" : "anon_91b2"}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            style={{ minWidth: "18rem" }}
          />
        </label>
        <button type="submit" className="primary">
          Look up
        </button>
      </form>
    </search>
  );
}
