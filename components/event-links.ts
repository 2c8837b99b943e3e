// Links between the event views: a stored event's detail and the profile it belongs to.
export const eventHref = (id: string) => `/events/${id}`;

export function profileHref(e: {
  resolved_user_id?: string | null;
  user_id?: string | null;
  anonymous_id?: string | null;
}): string | null {
  const user = e.resolved_user_id ?? e.user_id;
  if (user) return `/profiles?user_id=${encodeURIComponent(user)}`;
  return e.anonymous_id ? `/profiles?anonymous_id=${encodeURIComponent(e.anonymous_id)}` : null;
}
