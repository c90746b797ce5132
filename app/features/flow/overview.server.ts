// What the admin's Flow page shows of one shop: each trigger with whether a workflow uses it (Flow's
// lifecycle callback) and what the app sent, and the "Adjust loyalty points" runs it received.
// Data access: Prisma models (an admin page, off the hot path).
import type { Db } from "../../platform/db.server";
import { FLOW_TRIGGERS, type FlowTriggerDeclaration } from "../../domain/flow-triggers";
import { MAX_ADJUSTMENT } from "./adjust-points.server";

export interface TriggerOverview {
  declaration: FlowTriggerDeclaration;
  /** null: Flow never told the app about this trigger for this shop (no workflow turned on yet). */
  enabled: boolean | null;
  stateSince: Date | null;
  sent: number;
  waiting: number;
  failed: number;
}

export interface ActionRunRow {
  actionRunId: string;
  customerGid: string;
  points: number;
  reason: string;
  outcome: string;
  refusal: string | null;
  createdAt: Date;
}

export interface FlowOverview {
  triggers: TriggerOverview[];
  /** Identifiers Flow reported that match no trigger of this app version. */
  unknownTriggers: string[];
  runs: ActionRunRow[];
  maxAdjustment: number;
}

export async function flowOverview(db: Db, shopId: string, runLimit = 20): Promise<FlowOverview> {
  // Counted per trigger and status in the database: done jobs are kept, so a busy shop has one row per
  // event ever sent, and the page must not load them.
  const [states, jobsPerTrigger, runs] = await Promise.all([
    db.flowTriggerState.findMany({ where: { shopId } }),
    Promise.all(FLOW_TRIGGERS.map((t) => db.outboxJob.groupBy({ by: ["status"], where: { shopId, kind: "flow_trigger", dedupeKey: { startsWith: `flow:${t.handle}:` } }, _count: { _all: true } }))),
    db.flowActionRun.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: runLimit }),
  ]);
  const known = new Set(FLOW_TRIGGERS.map((t) => t.handle as string));
  const triggers = FLOW_TRIGGERS.map((declaration, i) => {
    const state = states.find((s) => s.handle === declaration.handle);
    const mine = jobsPerTrigger[i] ?? [];
    const count = (statuses: string[]) => mine.filter((j) => statuses.includes(j.status)).reduce((n, j) => n + j._count._all, 0);
    return { declaration, enabled: state ? state.enabled : null, stateSince: state?.callbackAt ?? null, sent: count(["done"]), waiting: count(["queued", "running", "needs_reauth"]), failed: count(["failed"]) };
  });
  return {
    triggers,
    unknownTriggers: states.filter((s) => !known.has(s.handle)).map((s) => s.handle),
    runs: runs.map((r) => ({ actionRunId: r.actionRunId, customerGid: r.customerGid, points: r.points, reason: r.reason, outcome: r.outcome, refusal: r.refusal, createdAt: r.createdAt })),
    maxAdjustment: MAX_ADJUSTMENT,
  };
}
