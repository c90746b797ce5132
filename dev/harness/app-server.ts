// Starts the BUILT app (npm run build) exactly as production does (`npm start`: server.mjs), on a fresh
// database, on a free local port.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createTestDatabase, dropTestDatabase } from "./database";
import { testDatabaseUrl, testEnv } from "./test-env";
import { freePort } from "./ports";

const root = path.resolve(import.meta.dirname, "../..");

export interface RunningApp {
  url: string;
  databaseUrl: string;
  env: Record<string, string>;
  stop: () => Promise<void>;
  output: () => string;
  /** kill -9 the server (a crash: no shutdown, transactions in flight are cut). */
  crash: () => Promise<void>;
  /** Starts the server again on the same port and database. */
  restart: () => Promise<void>;
  /** True while the current server process has not exited (a fault test checks it did not crash). */
  alive: () => boolean;
  /** The current server process's pid. */
  pid: () => number | undefined;
}

async function spawnServer(env: Record<string, string>, url: string, log: (chunk: string) => void, output: () => string, build: string): Promise<ChildProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(process.env.APP_NODE_ARGS?.split(" ").filter(Boolean) ?? []), path.join(root, "server.mjs"), build], {
    cwd: root,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => log(String(d)));
  child.stderr?.on("data", (d) => log(String(d)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/auth/login`);
      if (res.status < 500) return child;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`app did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * `databaseUrl`: join an existing database (several web processes on one database); else a fresh one.
 * `build`: the module server.mjs serves (the benchmark's reference lines pass their own, bench/reference/).
 */
export async function startApp(extraEnv: Record<string, string> = {}, options: { databaseUrl?: string; build?: string } = {}): Promise<RunningApp> {
  const build = options.build ?? "build/server/index.js";
  const port = await freePort();
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl(`browser_${Date.now()}_${process.pid}`);
  if (!options.databaseUrl) await createTestDatabase(databaseUrl);
  const env = { ...testEnv(databaseUrl), NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...extraEnv };
  let output = "";
  const log = (chunk: string) => (output += chunk);
  const url = `http://127.0.0.1:${port}`;
  let child = await spawnServer(env, url, log, () => output, build);
  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once("exit", r)));
  return {
    url,
    databaseUrl,
    env,
    output: () => output,
    crash: async () => {
      child.kill("SIGKILL");
      await exited(child);
    },
    restart: async () => {
      child = await spawnServer(env, url, log, () => output, build);
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    pid: () => child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      await exited(child);
      if (!options.databaseUrl) await dropTestDatabase(databaseUrl);
    },
  };
}
