// OpenAPI: The workspace: settings, members, personal access tokens, the audit log, switching workspaces.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { idPath, op } from "@/lib/api/openapi/operation";
import { auditListQuerySchema } from "@/lib/validations/audit";
import {
  memberAddSchema,
  memberUpdateSchema,
  tokenCreateSchema,
  workspaceCreateSchema,
  workspaceSwitchSchema,
  workspaceUpdateSchema,
} from "@/lib/validations/workspace";

export const workspacePaths: ZodOpenApiPathsObject = {
  "/api/audit-log": {
    get: op({
      tag: "Audit",
      summary: "Audit log, newest first, keyset paged: { rows, next_cursor, prev_cursor, per_page } (no total)",
      query: auditListQuerySchema,
    }),
  },
  "/api/members": {
    get: op({ tag: "Workspace", summary: "Members and roles" }),
    post: op({
      tag: "Workspace",
      summary: "Add someone who already has a TrackLayer account (invite newcomers)",
      body: memberAddSchema,
      created: true,
    }),
  },
  "/api/members/{id}": {
    patch: op({ tag: "Workspace", summary: "Change a member's role", path: idPath, body: memberUpdateSchema }),
    delete: op({ tag: "Workspace", summary: "Remove a member", path: idPath }),
  },
  "/api/onboarding": {
    get: op({
      tag: "Workspace",
      summary:
        "The first-run checklist: write key, first event, approved mapping, test destination, one validated event",
    }),
  },
  "/api/tokens": {
    get: op({ tag: "Workspace", summary: "Your personal access tokens" }),
    post: op({
      tag: "Workspace",
      summary: "Create a personal access token (returned once)",
      body: tokenCreateSchema,
      created: true,
    }),
  },
  "/api/tokens/{id}": { delete: op({ tag: "Workspace", summary: "Revoke a token", path: idPath }) },
  "/api/workspace": {
    get: op({ tag: "Workspace", summary: "The current workspace, its retention settings and your role" }),
    patch: op({
      tag: "Workspace",
      summary:
        "Workspace settings, retention included (admins). Retention that would outlive the events answers 422 naming each retention.<field>",
      body: workspaceUpdateSchema,
    }),
  },
  "/api/workspaces": {
    get: op({ tag: "Workspace", summary: "Workspaces you belong to" }),
    post: op({ tag: "Workspace", summary: "Create a workspace", body: workspaceCreateSchema, created: true }),
  },
  "/api/workspaces/switch": {
    post: op({
      tag: "Workspace",
      summary: "Choose the workspace the dashboard shows (a cookie)",
      body: workspaceSwitchSchema,
      notFound: true,
    }),
  },
};
