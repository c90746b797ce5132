import { createTestDatabase, dropTestDatabase } from "../../dev/harness/database";

// vitest.config.ts put the run's database URL in the environment; make it and migrate it.
export async function setup(): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("vitest.config.ts did not set DATABASE_URL for the integration project");
  await createTestDatabase(url);
  return async () => {
    if (!process.env.KEEP_TEST_DB) await dropTestDatabase(url);
  };
}
