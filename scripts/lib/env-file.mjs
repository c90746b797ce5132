// Loads .env (if present) into process.env without overriding what the shell already set.
import { existsSync } from "node:fs";
import path from "node:path";

export function loadDotEnv(root) {
  const file = path.join(root, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}
