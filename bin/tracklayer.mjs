#!/usr/bin/env node
// The `tracklayer` command: runs the TypeScript CLI (cli/main.ts) through tsx.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
