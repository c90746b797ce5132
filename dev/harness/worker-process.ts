import { spawn, type ChildProcess } from "node:child_process";
// Node arguments for a worker process as `npm run worker` starts it (scripts/worker.mjs: the BUILT
// worker in build/worker/, so `npm run build` first), with its Admin API calls going to the fake at
// FAKE_ADMIN_URL. tsx is there only for the preload (the fake is TypeScript); the app's code is the build's.
export const WORKER_PROCESS_ARGS = ["--import", "tsx", "--import", "./dev/preload-admin-fake-server.mjs", "scripts/worker.mjs"];

/** Starts a worker process as `npm run worker` does, with `env` over this process's environment; stderr is collected. */
export function spawnWorker(root: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...WORKER_PROCESS_ARGS], {
    cwd: root,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (d) => (output += d));
  child.on("exit", (code, signal) => (output += `\n[exited code=${code} signal=${signal}]`));
  return { child, output: () => output };
}
