// The actor: who is calling, in which workspace, with which role. Every domain function takes one.

import { can, type Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";

export interface Actor {
  userId: string;
  email: string;
  /** Shown in the audit log: the email, plus the token prefix when a token acted. */
  label: string;
  workspaceId: string;
  role: Role;
  via: "session" | "token";
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError("forbidden", `Your role (${actor.role}) does not allow ${permission}`);
  }
}
