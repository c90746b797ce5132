// What `npm start` (server.mjs) and `npm run worker` (scripts/worker.mjs) do before they load the build.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadDotEnv } from "./env-file.mjs";

/**
 * `.env` as `npm run setup` reads it (the shell's values win), then NODE_ENV=production unless set,
 * as remix-serve does: React and Remix choose their production or development code from it when they
 * are first imported, so this runs before anything imports them.
 */
export function prepareEnvironment(root) {
  loadDotEnv(root);
  if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";
}

/** Imports a file of the build; without one, says in one line (the app's log format) what to run. */
export async function importBuild(file) {
  if (!existsSync(file)) {
    const message = `no build at ${path.relative(process.cwd(), file) || file}: run \`npm run build\` first`;
    console.error(JSON.stringify({ level: "error", time: new Date().toISOString(), message }));
    process.exit(1);
  }
  return import(pathToFileURL(file).href);
}
