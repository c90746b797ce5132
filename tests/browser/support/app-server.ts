// Starts the BUILT app (npm run build) exactly as production does (remix-serve), on a fresh
// database, on a free local port.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createTestDatabase, dropTestDatabase } from "../../support/database";
import { testDatabaseUrl, testEnv } from "../../support/test-env";

const root = path.resolve(import.meta.dirname, "../../..");

export interface RunningApp {
  url: string;
  databaseUrl: string;
  env: Record<string, string>;
  stop: () => Promise<void>;
  output: () => string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function startApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const databaseUrl = testDatabaseUrl(`browser_${Date.now()}_${process.pid}`);
  await createTestDatabase(databaseUrl);
  const env = { ...testEnv(databaseUrl), NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...extraEnv };
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "node_modules/@remix-run/serve/dist/cli.js"), "build/server/index.js"], {
    cwd: root,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/auth/login`);
      if (res.status < 500) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    databaseUrl,
    env,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await dropTestDatabase(databaseUrl);
    },
  };
}
