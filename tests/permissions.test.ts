// The permission table, role by role: what each role may and may not do.
import assert from "node:assert/strict";
import { test } from "node:test";
import { can, PERMISSIONS, type Permission, ROLES } from "@/lib/auth/permissions";

const expected: Record<(typeof ROLES)[number], Permission[]> = {
  admin: Object.keys(PERMISSIONS) as Permission[],
  growth: [
    "workspace.read",
    "mapping.approve",
    "mapping.reject",
    "mapping.deprecate",
    "mapping.toggleDestination",
    "mapping.validate",
    "validation.policy",
    "audience.manage",
    "computedTrait.manage",
    "alert.manage",
    "alert.snooze",
    "audit.read",
    "token.manage",
  ],
  analyst: [
    "workspace.read",
    "canonicalEvent.manage",
    "mapping.edit",
    "mapping.submit",
    "mapping.validate",
    "audit.read",
    "token.manage",
  ],
  engineer: [
    "workspace.read",
    "destination.manage",
    "delivery.retry",
    "mapping.validate",
    "alert.snooze",
    "audit.read",
    "token.manage",
  ],
  viewer: ["workspace.read", "audit.read", "token.manage"],
};

for (const role of ROLES) {
  test(`${role}: allowed exactly ${expected[role].length} permissions`, () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      assert.equal(can(role, permission), expected[role].includes(permission), `${role} × ${permission}`);
    }
  });
}

test("only growth and admin approve; only analyst and admin edit", () => {
  assert.deepEqual(
    ROLES.filter((r) => can(r, "mapping.approve")),
    ["admin", "growth"],
  );
  assert.deepEqual(
    ROLES.filter((r) => can(r, "mapping.edit")),
    ["admin", "analyst"],
  );
});
