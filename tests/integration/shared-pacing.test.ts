// Admin API pacing is shared by every worker process through the shop row: what one worker learns
// about a shop's cost bucket holds the others off that shop too (no per-process rate accounting).
import { beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { ShopPacer, runWorkerOnce } from "../../app/worker/worker.server";
import { enqueueJob } from "../../app/outbox/outbox.server";
import { TEST_SHOP } from "../../dev/harness/test-env";

const lowBucket = { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 10, restoreRate: 50 } };

describe("shared Admin API pacing", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("a low bucket seen by one worker holds another worker's jobs for that shop until it has refilled", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const now = Date.now() + 60_000; // the workers' clock: the job queued below is due
    const workerA = new ShopPacer(prisma);
    const workerB = new ShopPacer(prisma);
    expect(await workerB.delayFor(shop.id, now)).toBe(0);

    await workerA.record(TEST_SHOP, lowBucket, now); // 40 points short at 50/s: 800 ms
    expect(await workerB.delayFor(shop.id, now)).toBe(800);
    // A shorter estimate from another worker does not shorten the hold-off.
    await workerB.record(TEST_SHOP, { ...lowBucket, throttleStatus: { ...lowBucket.throttleStatus, currentlyAvailable: 45 } }, now);
    expect(await workerA.delayFor(shop.id, now)).toBe(800);

    await prisma.$transaction((tx) => enqueueJob(tx, { shopId: shop.id, kind: "sync_program_metafield", payload: {}, dedupeKey: "pacing-test" }));
    let ran = false;
    const handlers = { sync_program_metafield: { run: async () => void (ran = true) } };
    await runWorkerOnce(
      {
        db: prisma,
        admin: async () => {
          throw new Error("not called");
        },
        now: () => new Date(now),
      },
      handlers,
      { pacer: workerB },
    );
    expect(ran).toBe(false);
    const job = await prisma.outboxJob.findFirstOrThrow({ where: { dedupeKey: "pacing-test" } });
    expect(job).toMatchObject({ status: "queued", attempts: 0 });
    expect(job.runAfter.getTime()).toBe(now + 800);

    expect(await workerB.delayFor(shop.id, now + 800)).toBe(0);
  });
});
