// `shopify app dev` starts the app only through shopify.web.toml. These tests hold that file to what
// Shopify's CLI (3.92) does with it: it runs `predev`, then `dev`, each split on "&&" and then on
// spaces and run without a shell, in the project root, with the app's credentials, SCOPES (the toml's
// scopes), HOST (the tunnel URL), PORT and FRONTEND_PORT in the environment; and it sends
// app/uninstalled to `webhooks_path` when it points a dev store at a new app version.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, dropTestDatabase } from "../../dev/harness/database";
import { webhookHeaders } from "../../dev/shopify-requests";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP, testDatabaseUrl } from "../../dev/harness/test-env";
import { freePort } from "../../dev/harness/ports";

const root = path.resolve(import.meta.dirname, "../..");
const web = parse(readFileSync(path.join(root, "shopify.web.toml"), "utf8")) as {
  roles: string[];
  webhooks_path: string;
  commands: { predev?: string; dev: string; build?: string };
};
const app = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as any;
const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts;

/** A web command as the CLI runs it: steps split on "&&", each step split on single spaces. */
function cliSteps(command: string): string[][] {
  return command
    .split("&&")
    .map((step) => step.trim())
    .filter(Boolean)
    .map((step) => step.split(" "));
}

/** The script a CLI step `npm run <script>` runs. */
function npmScript(step: string[]): string {
  const [program, verb, script, ...rest] = step;
  if (program !== "npm" || verb !== "run" || !script || rest.length) throw new Error(`not \`npm run <script>\`: ${step.join(" ")}`);
  return script;
}

/** Every shell command an npm script ends up running, following `npm run <name>` into other scripts. */
function expandScript(name: string, seen: string[] = []): string[] {
  if (seen.includes(name)) throw new Error(`npm scripts call each other in a loop: ${[...seen, name].join(" -> ")}`);
  const text = scripts[name];
  if (text === undefined) throw new Error(`package.json has no "${name}" script`);
  return text.split(/&&|\|\||;/).flatMap((part) => {
    const step = part.trim();
    const nested = /^npm run ([\w:-]+)/.exec(step)?.[1];
    return nested ? expandScript(nested, [...seen, name]) : [step];
  });
}

describe("shopify.web.toml", () => {
  it("declares one process serving both the admin and the webhooks, as Shopify's Remix template does", () => {
    expect([...web.roles].sort()).toEqual(["backend", "frontend"]);
  });

  it("runs only npm scripts that exist: predev prepares the database, dev runs the Vite dev server", () => {
    for (const command of [web.commands.predev ?? "", web.commands.dev]) {
      for (const step of cliSteps(command)) expect(Object.keys(scripts), command).toContain(npmScript(step));
    }
    const predev = cliSteps(web.commands.predev ?? "").flatMap((step) => expandScript(npmScript(step)));
    expect(predev, "predev runs scripts/setup.mjs: both Prisma clients and the migrations").toContain("node scripts/setup.mjs");
    const dev = cliSteps(web.commands.dev).flatMap((step) => expandScript(npmScript(step)));
    expect(dev).toEqual(["remix vite:dev"]);
  });

  it("`npm run dev` does not start Shopify's CLI again (the CLI runs it: that would recurse)", () => {
    const devSteps = cliSteps(web.commands.dev).flatMap((step) => expandScript(npmScript(step)));
    for (const step of devSteps) expect(step).not.toMatch(/(^|\s|\/)shopify(\s|$)/);
    // The README's `npm run shopify -- app dev` reaches the CLI through its own script.
    expect(scripts.shopify).toBe("shopify");
  });

  it("sends the CLI's app/uninstalled to the route shopify.app.toml subscribes for that topic", () => {
    const uninstalled = (app.webhooks.subscriptions as { topics?: string[]; uri: string }[]).find((s) => s.topics?.includes("app/uninstalled"));
    expect(web.webhooks_path).toBe(uninstalled?.uri);
  });
});

describe("the dev command, started the way `shopify app dev` starts it", () => {
  const databaseUrl = testDatabaseUrl(`webtoml_${Date.now()}_${process.pid}`);
  let child: ChildProcess | undefined;
  let output = "";

  afterAll(async () => {
    // The dev command runs npm -> sh -> node; it was started as its own process group: end all of it.
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
    await dropTestDatabase(databaseUrl);
  });

  it("serves the app: a signed app/uninstalled at webhooks_path is stored and answered 200", { timeout: 90_000 }, async () => {
    // predev (`npm run setup`) is not rerun here: this test run already generated both Prisma clients
    // (npm's pretest), and regenerating them while other test files use them could break those.
    // createTestDatabase applies the same migrations that predev applies.
    await createTestDatabase(databaseUrl);
    const port = await freePort();
    const tunnel = "https://webtoml-test.trycloudflare.com";
    // The developer's shell, without what the test run set for the app; then what the CLI adds.
    const shell = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SHOPIFY_|SCOPES$|VITEST|NODE_ENV$|WORKER_MODE$)/.test(name)));
    const env = {
      ...shell,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      HOST: tunnel,
      APP_URL: tunnel,
      SCOPES: String(app.access_scopes.scopes),
      NODE_ENV: "development",
      PORT: String(port),
      FRONTEND_PORT: String(port),
      BACKEND_PORT: String(port),
      DATABASE_URL: databaseUrl,
    };
    const steps = cliSteps(web.commands.dev);
    expect(steps).toHaveLength(1);
    const [program = "", ...args] = steps[0] ?? [];
    const server = spawn(program, args, { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child = server;
    server.stdout.on("data", (d) => (output += String(d)));
    server.stderr.on("data", (d) => (output += String(d)));

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answered = await fetch(`${url}/auth/login`).then(
        (r) => r.status < 500,
        () => false,
      );
      if (answered) break;
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the dev server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const body = JSON.stringify({ id: 1, domain: TEST_SHOP });
    const response = await fetch(`${url}${web.webhooks_path}`, { method: "POST", body, headers: webhookHeaders("app/uninstalled", body) });
    expect(response.status, output).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });
});
