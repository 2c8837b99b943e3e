// One value per process, kept on globalThis: Next.js may load a module once per route bundle (and again on each dev
// reload), and caches, pools and feeds must still be shared by all of them.

export function processGlobal<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<string, unknown>;
  if (!(name in store)) store[name] = create();
  return store[name] as T;
}
