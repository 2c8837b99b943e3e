// The one reader of error codes finds them wherever pg, PGlite, Prisma's adapters or Node put them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { errorCodes, sqlState } from "@/lib/db/error-codes";
import { isDatabaseUnavailable } from "@/lib/db/outage";
import { isUniqueViolation } from "@/lib/errors";

const adapterError = (originalCode: string, kind = "postgres") =>
  Object.assign(new Error("DriverAdapterError"), { name: "DriverAdapterError", cause: { kind, originalCode } });

test("a SQLSTATE wrapped by Prisma's driver adapter is read from cause.originalCode", () => {
  assert.equal(sqlState(adapterError("22P05")), "22P05");
});

test("a Prisma known error carries the SQLSTATE in meta.driverAdapterError, behind its own P-code", () => {
  const error = { code: "P2010", meta: { driverAdapterError: adapterError("23505") } };
  assert.deepEqual(errorCodes(error), ["P2010", "23505"]);
  assert.equal(sqlState(error), "23505", "Prisma's P2010 is not a SQLSTATE");
  assert.equal(isUniqueViolation(error), true);
});

test("PostgreSQL's own P-class (PL/pgSQL raise) is a SQLSTATE", () => {
  assert.equal(sqlState({ code: "P0001" }), "P0001");
});

test("a failed connect reported as an AggregateError of attempts is an outage", () => {
  const refused = Object.assign(new Error("connect"), { code: "ECONNREFUSED" });
  const error = new AggregateError([refused, refused], "all attempts failed");
  assert.deepEqual(errorCodes(error), ["ECONNREFUSED"]);
  assert.equal(sqlState(error), undefined);
  assert.equal(isDatabaseUnavailable(error), true);
});

test("no codes at all: nothing found, and a plain error is no unique violation", () => {
  assert.deepEqual(errorCodes(new Error("boom")), []);
  assert.equal(isUniqueViolation(new Error("boom")), false);
});
