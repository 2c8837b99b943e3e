// Ready-to-copy calls for one write key: curl, the Segment and RudderStack Node SDKs pointed at TrackLayer.
import { CopyableCode } from "@/components/ui/copy-button";
import { type KeyRef, keySnippets } from "@/lib/onboarding/snippets";

export function KeySnippets({ origin, keyRef }: { origin: string; keyRef: KeyRef }) {
  return (
    <section aria-label={`Snippets for ${keyRef.prefix}`}>
      {keySnippets(origin, keyRef).map((s) => (
        <CopyableCode key={s.label} label={`Copy ${s.label} for ${keyRef.prefix}`} code={s.code} />
      ))}
    </section>
  );
}
