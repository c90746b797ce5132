// `npm run test:node -- 22 24`: the unit + integration suites (`npm test`, Prisma generate included)
// under other Node majors, next to the machine's own Node. For each major it takes the newest release
// the npm registry has as `node-<platform>-<arch>` (Node's official binary and headers), compiles
// better-sqlite3 for it and runs `npm test` with that Node first on PATH.
//
// better-sqlite3 has a single binary slot, build/Release/better_sqlite3.node, and a binary only loads
// on the Node ABI it was compiled for. The script saves the machine Node's binary first and puts it
// back afterwards, also on failure or Ctrl-C, so the suites CI runs next still work. A run killed
// outright (kill -9) is repaired by the next run, or by `npm rebuild better-sqlite3`.
//
// Cache (outside the repo, so fresh CI clones on the same machine reuse it): the unpacked Node
// releases and one better-sqlite3 binary per (better-sqlite3 version, Node version). Override with
// NODE_VERSIONS_CACHE; delete it to fetch and compile again. Offline, the newest cached release of a
// major is used.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Without arguments: every major package.json's engines.node names ("^20.10.0 || ^22.0.0 || ..."),
// except the one running this script (`npm test` covers it), so what the app declares is what CI proves.
const engines = z.object({ engines: z.object({ node: z.string() }) }).parse(JSON.parse(await readFile(path.join(root, "package.json"), "utf8")));
const declaredMajors = [...engines.engines.node.matchAll(/\^(\d+)\./g)].map((match) => match[1]);
const majors = process.argv.length > 2 ? process.argv.slice(2) : declaredMajors.filter((major) => major !== process.versions.node.split(".")[0]);
if (majors.length === 0 || !majors.every((major) => /^\d+$/.test(major))) {
  console.error("usage: npm run test:node [-- <major> ...]   e.g. npm run test:node -- 22 24 (default: the other majors in engines.node)");
  process.exit(2);
}
// The npm packages repackage Node's official tarballs (bin/node, include/node); tried on linux-x64.
if (!["linux", "darwin"].includes(process.platform)) {
  console.error(`test:node: no node-${process.platform}-${process.arch} layout known (bin/node, include/node)`);
  process.exit(2);
}
const nodePackage = `node-${process.platform}-${process.arch}`;
const cacheRoot = process.env.NODE_VERSIONS_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "loyalty-app", "node-versions");

const sqliteDir = path.join(root, "node_modules", "better-sqlite3");
const sqliteVersion = z.object({ version: z.string() }).parse(JSON.parse(await readFile(path.join(sqliteDir, "package.json"), "utf8"))).version;
const sqliteBinary = path.join(sqliteDir, "build", "Release", "better_sqlite3.node");
const cachedSqliteBinary = (nodeVersion) => path.join(cacheRoot, "better-sqlite3", `${sqliteVersion}-node-${nodeVersion}-${process.platform}-${process.arch}.node`);

// --- child processes: async, so a signal can stop the running one and the restore still runs.
// Each runs in its own process group and a signal goes to the whole group: npm does not pass it on
// to vitest, which would otherwise keep testing on the other Node after this script has exited.
let runningChild = null;
let stoppedBy = null;
let restoring = false; // once set, commands run even after a signal: they put the binary back
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stoppedBy ??= signal;
    if (restoring || !runningChild) return;
    try {
      process.kill(-runningChild.pid, signal);
    } catch {
      // the group has already exited
    }
  });
}

/** Runs a command; resolves with its exit code and, when `capture`, its stdout. */
function run(command, args, { env = process.env, capture = false, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    if (stoppedBy && !restoring) return reject(new Error(`stopped by ${stoppedBy}`));
    const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ["ignore", capture ? "pipe" : "inherit", quiet ? "ignore" : "inherit"] });
    runningChild = child;
    let stdout = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      runningChild = null;
      if (stoppedBy && !restoring) reject(new Error(`stopped by ${stoppedBy}`));
      else resolve({ code: code ?? (signal ? 128 : 1), stdout });
    });
  });
}
async function runOrThrow(command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.code}`);
  return result.stdout;
}

/** Copies through a temporary name and renames: a process that has the old file loaded keeps its mapping. */
async function replaceFile(source, target) {
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  await copyFile(source, partial);
  await rename(partial, target);
}

/** Whether better-sqlite3 opens a database under the given node binary (checked in a child process). */
async function sqliteLoadsOn(nodeBinary) {
  const check = "const Database = require('better-sqlite3'); new Database(':memory:').prepare('select 1').get();";
  const { code } = await run(nodeBinary, ["-e", check], { capture: true, quiet: true });
  return code === 0;
}

const compareVersions = (a, b) => {
  const [pa, pb] = [a, b].map((version) => version.split(".").map(Number));
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
};

/** The newest release of a major on the registry; offline, the newest one already in the cache. */
async function newestRelease(major) {
  // quiet: an unknown major or no registry is reported below, without npm's error log.
  const answer = await run("npm", ["view", `${nodePackage}@${major}`, "version", "--json"], { capture: true, quiet: true });
  if (answer.code === 0 && answer.stdout.trim() !== "") {
    // npm answers one string for one match and an array for several.
    const versions = z.union([z.string(), z.array(z.string())]).parse(JSON.parse(answer.stdout));
    const newest = [versions]
      .flat()
      .filter((version) => /^\d+\.\d+\.\d+$/.test(version))
      .sort(compareVersions)
      .at(-1);
    if (!newest) throw new Error(`the registry lists no release for ${nodePackage}@${major}`);
    return newest;
  }
  const cached = existsSync(cacheRoot) ? await readdir(cacheRoot) : [];
  const prefix = `${nodePackage}-${major}.`;
  const newestCached = cached
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(nodePackage.length + 1))
    .sort(compareVersions)
    .at(-1);
  if (!newestCached) throw new Error(`the registry lists no ${nodePackage}@${major} and none is cached in ${cacheRoot}`);
  console.log(`test:node: registry not answering; using cached ${newestCached}`);
  return newestCached;
}

/** Unpacks `node-<platform>-<arch>@<version>` into the cache once; returns its directory. */
async function fetchNode(version) {
  const nodeDir = path.join(cacheRoot, `${nodePackage}-${version}`);
  if (existsSync(path.join(nodeDir, "bin", "node"))) return nodeDir;
  await mkdir(cacheRoot, { recursive: true });
  const workDir = await mkdtemp(path.join(cacheRoot, ".fetch-"));
  try {
    const packed = await runOrThrow("npm", ["pack", `${nodePackage}@${version}`, "--pack-destination", workDir, "--json"], { capture: true });
    const [{ filename }] = z
      .array(z.object({ filename: z.string() }))
      .length(1)
      .parse(JSON.parse(packed));
    await runOrThrow("tar", ["-xzf", path.join(workDir, path.basename(filename)), "-C", workDir]);
    // Renamed into place only when complete: a half-unpacked release never counts as cached.
    // A run in another checkout may have put the same release there first.
    await rename(path.join(workDir, "package"), nodeDir).catch((error) => {
      if (!existsSync(path.join(nodeDir, "bin", "node"))) throw error;
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return nodeDir;
}

/** Puts a better-sqlite3 binary for this Node into build/Release: from the cache, or compiled from source. */
async function provideSqliteFor(node) {
  const cached = cachedSqliteBinary(node.version);
  if (existsSync(cached)) {
    await replaceFile(cached, sqliteBinary);
    if (await sqliteLoadsOn(node.binary)) return "cached";
  }
  // better-sqlite3's install script tries its prebuilt binary for this Node first (offline that fails
  // in under a second), then compiles with node-gyp; npm_config_nodedir makes node-gyp take the
  // headers from the unpacked release instead of downloading them. JOBS: node-gyp's make -j.
  const env = { ...node.env, npm_config_nodedir: node.dir, JOBS: "max" };
  await runOrThrow("npm", ["rebuild", "better-sqlite3"], { env });
  if (!(await sqliteLoadsOn(node.binary))) throw new Error(`better-sqlite3 compiled for Node ${node.version} does not load on it`);
  await replaceFile(sqliteBinary, cached);
  return "compiled";
}

// --- the machine Node's binary: check it, save it, and put it back at the end ---
const homeVersion = process.versions.node;
const homeBackup = cachedSqliteBinary(homeVersion);
if (await sqliteLoadsOn(process.execPath)) {
  await replaceFile(sqliteBinary, homeBackup);
} else if (existsSync(homeBackup)) {
  // A previous run was killed before it could put the binary back.
  await replaceFile(homeBackup, sqliteBinary);
  if (!(await sqliteLoadsOn(process.execPath))) throw new Error(`better-sqlite3 does not load on Node ${homeVersion}: run \`npm rebuild better-sqlite3\``);
  console.log(`test:node: restored better-sqlite3 for Node ${homeVersion} left over by an interrupted run`);
} else {
  console.error(`test:node: better-sqlite3 does not load on Node ${homeVersion}: run \`npm rebuild better-sqlite3\` first`);
  process.exit(1);
}

const seconds = (since) => Math.round((performance.now() - since) / 1000);
const results = [];
try {
  for (const major of majors) {
    const started = performance.now();
    const result = { major, version: "?", passed: false, detail: "" };
    results.push(result);
    try {
      result.version = await newestRelease(major);
      const dir = await fetchNode(result.version);
      const binDir = path.join(dir, "bin");
      const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` };
      const node = { version: result.version, dir, binary: path.join(binDir, "node"), env };
      // What `npm test` will resolve as `node` (npm, vitest and its workers all start through PATH).
      const onPath = (await runOrThrow("node", ["-p", "process.version + ' ABI ' + process.versions.modules"], { env, capture: true })).trim();
      if (onPath.split(" ")[0] !== `v${result.version}`) throw new Error(`PATH resolves node to ${onPath}, not v${result.version}`);
      const fetchedAfter = seconds(started);
      const sqliteSource = await provideSqliteFor(node);
      const sqliteAfter = seconds(started);
      console.log(`\n=== test:node: Node ${onPath} (${nodePackage}@${result.version}), better-sqlite3 ${sqliteVersion} ${sqliteSource}: npm test`);
      // The integration suite opens SQLite through better-sqlite3, whose binary now loads only on this
      // Node's ABI: a suite that passes has run on this Node.
      const tests = await run("npm", ["test"], { env });
      result.passed = tests.code === 0;
      result.detail = `fetch ${fetchedAfter} s, better-sqlite3 ${sqliteSource} ${sqliteAfter - fetchedAfter} s, npm test ${seconds(started) - sqliteAfter} s`;
    } catch (error) {
      if (stoppedBy) throw error;
      result.detail = error instanceof Error ? error.message : String(error);
    }
  }
} catch (error) {
  if (!stoppedBy) throw error;
} finally {
  restoring = true;
  await replaceFile(homeBackup, sqliteBinary);
  const restored = await sqliteLoadsOn(process.execPath).catch(() => false);
  console.log(`\ntest:node: better-sqlite3 for Node ${homeVersion} put back${restored ? "" : " BUT IT DOES NOT LOAD: run `npm rebuild better-sqlite3`"}`);
  if (!restored) process.exitCode = 1;
}

if (stoppedBy) {
  console.log(`test:node: stopped by ${stoppedBy}`);
  process.exit(stoppedBy === "SIGINT" ? 130 : 143);
}
console.log("test:node: results");
for (const { major, version, passed, detail } of results) {
  console.log(`  Node ${major}: v${version} ${passed ? "passed" : "FAILED"} (${detail})`);
}
process.exit(results.every((result) => result.passed) && process.exitCode !== 1 ? 0 : 1);
