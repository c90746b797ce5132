// The outbox's bookkeeping (claim with a lease, complete, retry), which workers run all day: a job is
// never handed to two workers, only the lease holder can finish it, and a dead worker's jobs come back.
import { beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { claimJobs, completeJob, enqueueJob, retryJob } from "../../app/outbox/outbox.server";
import { TEST_SHOP } from "../../dev/harness/test-env";

describe("outbox bookkeeping", () => {
  let shopId: string;
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
    shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).id;
    await prisma.outboxJob.deleteMany({});
  });

  const queue = async (n: number, kind: "sync_customer_metafield" | "create_discount_code" = "sync_customer_metafield") => {
    for (let i = 0; i < n; i++) await prisma.$transaction((tx) => enqueueJob(tx, { shopId, kind, payload: { n: i }, dedupeKey: `${kind}-${i}` }));
  };

  it("workers claiming at the same time never get the same job; round after round they get all of them, each attempt counted once", async () => {
    await queue(30);
    const now = new Date(Date.now() + 1000);
    const owners = ["a", "b", "c", "d"];
    const claimedBy = new Map<string, string>();
    for (let round = 0; round < 10 && claimedBy.size < 30; round++) {
      const claims = await Promise.all(owners.map((owner) => claimJobs(prisma, { owner, limit: 5, leaseMs: 60_000, now })));
      claims.forEach((claim, i) =>
        claim.forEach((job) => {
          expect(claimedBy.has(job.id)).toBe(false); // never twice
          expect(job.attempts).toBe(1);
          claimedBy.set(job.id, owners[i]!);
        }),
      );
    }
    expect(claimedBy.size).toBe(30);
    const rows = await prisma.outboxJob.findMany({});
    expect(rows.every((r) => r.status === "running" && r.attempts === 1 && r.leaseUntil!.getTime() === now.getTime() + 60_000)).toBe(true);
    for (const row of rows) expect(row.leaseOwner).toBe(claimedBy.get(row.id));
  });

  it("claims only the kinds asked for, and only jobs that are due", async () => {
    await queue(2, "create_discount_code");
    await queue(2);
    await prisma.outboxJob.updateMany({ where: { dedupeKey: "sync_customer_metafield-1" }, data: { runAfter: new Date(Date.now() + 3_600_000) } });
    const claimed = await claimJobs(prisma, { owner: "w", limit: 10, leaseMs: 1000, now: new Date(Date.now() + 1000), kinds: ["sync_customer_metafield"] });
    expect(claimed.map((j) => j.payload)).toEqual([{ n: 0 }]);

    // On demand: only the jobs named, whatever else is due.
    const second = await prisma.outboxJob.findFirstOrThrow({ where: { dedupeKey: "create_discount_code-1" } });
    const chosen = await claimJobs(prisma, { owner: "now", limit: 10, leaseMs: 1000, now: new Date(Date.now() + 1000), ids: [second.id] });
    expect(chosen.map((j) => j.id)).toEqual([second.id]);
    expect(await claimJobs(prisma, { owner: "now", limit: 10, leaseMs: 1000, now: new Date(Date.now() + 1000), ids: [] })).toEqual([]);
  });

  it("only the lease holder completes a job; a dead worker's job is claimed again once its lease is over; a retry waits its backoff", async () => {
    await queue(1);
    const t0 = Date.now() + 1000;
    const [job] = await claimJobs(prisma, { owner: "dead", limit: 1, leaseMs: 5_000, now: new Date(t0) });
    expect(await claimJobs(prisma, { owner: "other", limit: 1, leaseMs: 5_000, now: new Date(t0 + 4_000) })).toEqual([]);
    const [again] = await claimJobs(prisma, { owner: "other", limit: 1, leaseMs: 5_000, now: new Date(t0 + 6_000) });
    expect(again).toMatchObject({ id: job!.id, attempts: 2, leaseOwner: "other" });
    expect(await completeJob(prisma, job!)).toBe(false); // the dead worker woke up: no longer its job

    await retryJob(prisma, again!, "Error: Admin API 503", 30_000, new Date(t0 + 7_000));
    expect(await prisma.outboxJob.findUniqueOrThrow({ where: { id: job!.id } })).toMatchObject({ status: "queued", attempts: 2, leaseOwner: null, lastError: "Error: Admin API 503", runAfter: new Date(t0 + 37_000) });
    expect(await claimJobs(prisma, { owner: "other", limit: 1, leaseMs: 5_000, now: new Date(t0 + 36_000) })).toEqual([]);
    const [third] = await claimJobs(prisma, { owner: "other", limit: 1, leaseMs: 5_000, now: new Date(t0 + 37_000) });
    expect(await prisma.$transaction((tx) => completeJob(tx, third!))).toBe(true);
    expect(await prisma.outboxJob.findUniqueOrThrow({ where: { id: job!.id } })).toMatchObject({ status: "done", attempts: 3, lastError: null, leaseUntil: null });
  });
});
