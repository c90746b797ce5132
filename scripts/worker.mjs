// `npm run worker`: an outbox worker process (app/worker/worker-cli.ts) from the build `npm run build`
// writes to build/worker/, with .env and NODE_ENV as `npm start` has them.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importBuild, prepareEnvironment } from "./lib/production.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
prepareEnvironment(root);
await importBuild(path.resolve(process.argv[2] ?? path.join(root, "build/worker/worker-cli.js")));
