// Node arguments for a worker process as `npm run worker` starts it (scripts/worker.mjs: the BUILT
// worker in build/worker/, so `npm run build` first), with its Admin API calls going to the fake at
// FAKE_ADMIN_URL. tsx is there only for the preload (the fake is TypeScript); the app's code is the build's.
export const WORKER_PROCESS_ARGS = ["--import", "tsx", "--import", "./tests/fakes/preload-admin-fake-server.mjs", "scripts/worker.mjs"];
