// The people the end-to-end tests act as: the seeded admin plus one member per role.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);

export const ADMIN = { email: "e2e-admin@tracklayer.test", password: "e2e-admin-password" };

export const ROLE_USERS = {
  admin: ADMIN,
  growth: { email: "e2e-growth@tracklayer.test", password: "e2e-growth-password" },
  analyst: { email: "e2e-analyst@tracklayer.test", password: "e2e-analyst-password" },
  engineer: { email: "e2e-engineer@tracklayer.test", password: "e2e-engineer-password" },
  viewer: { email: "e2e-viewer@tracklayer.test", password: "e2e-viewer-password" },
} as const;

export type RoleName = keyof typeof ROLE_USERS;
export const ROLE_NAMES = Object.keys(ROLE_USERS) as RoleName[];

export const storageStateOf = (role: RoleName) => `e2e/.auth/${role}.json`;
