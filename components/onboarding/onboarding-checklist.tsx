"use client";
// The first-run checklist on the home page: five steps judged by the server, polled every few seconds so a
// step ticks as it happens (the first event arriving, a mapping approved) without reloading the page.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { callApi } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/badge";
import { CopyableCode } from "@/components/ui/copy-button";
import type { OnboardingState } from "@/lib/onboarding/checklist";
import { curlSnippet } from "@/lib/onboarding/snippets";

const POLL_MS = 2_500;

export function OnboardingChecklist({ initial, origin }: { initial: OnboardingState; origin: string }) {
  const [state, setState] = useState(initial);
  const [announcement, setAnnouncement] = useState("");
  const previous = useRef(initial);

  useEffect(() => {
    if (state.done) return;
    const timer = setInterval(async () => {
      if (document.hidden) return;
      const result = await callApi<OnboardingState>("GET", "/api/onboarding");
      if (!result.ok) return;
      const ticked = result.data.steps.filter(
        (s) => s.done && !previous.current.steps.find((p) => p.key === s.key)?.done,
      );
      if (ticked.length) setAnnouncement(`Done: ${ticked.map((s) => s.title).join(", ")}.`);
      previous.current = result.data;
      setState(result.data);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [state.done]);

  const doneCount = state.steps.filter((s) => s.done).length;
  return (
    <section className="panel" aria-labelledby="onboarding-title">
      <div className="spread">
        <h2 id="onboarding-title" style={{ margin: 0 }}>
          Get started
        </h2>
        <span className="muted">
          {doneCount} of {state.steps.length} done
        </span>
      </div>
      <p aria-live="polite" role="status" className="muted">
        {state.done ? "All done: TrackLayer delivered and validated an event end to end." : announcement}
      </p>
      <ol className="checklist" aria-label="Onboarding steps">
        {state.steps.map((step) => (
          <li key={step.key} data-step={step.key}>
            <span aria-hidden="true">{step.done ? "✓ " : "○ "}</span>
            <Link href={step.href}>{step.title}</Link>{" "}
            <Badge status={step.done ? "approved" : "draft"}>{step.done ? "done" : "to do"}</Badge>
            {step.done ? null : <p className="muted">{step.help}</p>}
            {step.key === "first_event" && !step.done ? (
              state.writeKey ? (
                <CopyableCode
                  label="Copy the first-event curl"
                  code={curlSnippet(origin, {
                    key: null,
                    prefix: state.writeKey.prefix,
                    source: state.writeKey.source,
                  })}
                />
              ) : (
                <p className="muted">Create a write key first; the call to copy appears here.</p>
              )
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
