// `npm run build`'s second step: the outbox worker (`npm run worker`) as a Node module in build/worker/,
// built like the server build (packages stay in node_modules), so production runs no TypeScript
// loader (docs/decisions/012-production-start.md).
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  build: {
    ssr: "app/worker/worker-cli.ts",
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node20",
  },
  // Vite's default `mode` for a build is production; the worker reads NODE_ENV at run time instead.
  logLevel: "warn",
}) satisfies UserConfig;
