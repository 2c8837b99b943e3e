import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/form-bits";
import { requirePageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { lookupProfile, RECENT_EVENT_LIMIT } from "@/lib/identity/lookup-profile";
import { profileLookupQuerySchema } from "@/lib/validations/events";
import { ComputedTraitHistory, ComputedTraits, HeapSyncs } from "./computed-trait-sections";
import { ProfileSearch } from "./profile-search";
import { Conflicts, LinkedIds, RecentEvents, TraitHistory, Traits } from "./profile-sections";

export const metadata: Metadata = { title: "Profiles" };

async function findOrNull(...args: Parameters<typeof lookupProfile>) {
  try {
    return await lookupProfile(...args);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}

export default async function ProfilesPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requirePageActor();
  const raw = await searchParams;
  const parsed = profileLookupQuerySchema.safeParse({
    user_id: raw.user_id || undefined,
    anonymous_id: raw.anonymous_id || undefined,
  });
  const by = raw.anonymous_id && !raw.user_id ? "anonymous_id" : "user_id";
  const found = parsed.success ? await findOrNull(actor, parsed.data) : null;
  const asked = parsed.success ? (parsed.data.user_id ?? parsed.data.anonymous_id) : null;
  return (
    <>
      <h1>Profiles</h1>
      <p className="muted">
        One profile per user_id. Anonymous ids join a profile through the identify or capture call that carried both
        ids; a second user for the same anonymous id is recorded as a conflict, never merged.
      </p>
      <ProfileSearch by={by} value={raw[by] ?? ""} />
      {!asked ? (
        <EmptyState>
          Look up a person by the <code>user_id</code> your backend sends, or by an <code>anonymous_id</code> (for
          example from Heap). Ids are matched exactly.
        </EmptyState>
      ) : !found ? (
        <EmptyState>
          Nothing known about {by} <code>{asked}</code> in this workspace: no profile and no events.{" "}
          <Link href="/events">Browse events</Link>
        </EmptyState>
      ) : (
        <>
          {found.profile ? (
            <section className="panel" aria-label="Profile">
              <h2 style={{ marginTop: 0 }}>
                user_id <code>{found.profile.user_id}</code>
              </h2>
              <dl className="facts">
                {found.matched_by === "anonymous_id" ? (
                  <>
                    <dt>Found by</dt>
                    <dd>
                      anonymous_id <code>{found.lookup}</code>
                    </dd>
                  </>
                ) : null}
                <dt>First seen</dt>
                <dd>{new Date(found.profile.created_at).toLocaleString()}</dd>
                <dt>Updated</dt>
                <dd>{new Date(found.profile.updated_at).toLocaleString()}</dd>
              </dl>
            </section>
          ) : (
            <div className="panel" role="status">
              anonymous_id <code>{found.lookup}</code> is not linked to a user yet: no identify call or capture with a
              user_id has carried it. Its events are below.
            </div>
          )}
          {found.profile ? (
            <>
              <h2>Linked anonymous ids</h2>
              <LinkedIds profile={found.profile} />
              <h2>Current traits</h2>
              <Traits profile={found.profile} />
              <h2>Trait history</h2>
              <TraitHistory profile={found.profile} />
              <h2>Computed traits</h2>
              <ComputedTraits computed={found.profile.computed_traits} />
              <h2>Computed trait history</h2>
              <ComputedTraitHistory computed={found.profile.computed_traits} />
              <h2>Heap sync</h2>
              <HeapSyncs computed={found.profile.computed_traits} />
            </>
          ) : null}
          <h2>Identity conflicts</h2>
          <Conflicts conflicts={found.conflicts} />
          <h2>Recent events</h2>
          <p className="muted">
            The {RECENT_EVENT_LIMIT} most recent; search the{" "}
            <Link href={`/events?q=${encodeURIComponent(found.profile?.user_id ?? found.lookup)}`}>
              events explorer
            </Link>{" "}
            for more.
          </p>
          <RecentEvents events={found.recent_events} />
        </>
      )}
    </>
  );
}
