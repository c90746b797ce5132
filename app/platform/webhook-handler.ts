// The contract between the webhook inbox (app/webhooks/) and the features that apply deliveries:
// a feature declares, per topic, the payload schema and how a stored delivery is applied; the
// webhooks layer receives, stores and later applies deliveries with it. Types only.
import type { z } from "zod";
import type { Tx } from "./db.server";
import type { SqlSteps, TransactionMemo } from "./sql/statements";

export interface WebhookMeta {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
}

export type WebhookOutcome = { outcome: "applied" | "skipped"; reason?: string };

/**
 * How a topic's deliveries are applied, inside the transaction that marks the stored delivery applied:
 * `steps` (SQL steps on the database driver: the order topics, where the volume is) or `apply`
 * (Prisma: the rare lifecycle and compliance topics). docs/decisions/009-hot-path-sql.md
 */
export type WebhookHandler<Schema extends z.ZodTypeAny> = { topic: string; schema: Schema } & (
  | { steps: (payload: z.infer<Schema>, meta: WebhookMeta, now: Date, memo: TransactionMemo) => SqlSteps<WebhookOutcome>; apply?: never }
  | { apply: (tx: Tx, payload: z.infer<Schema>, meta: WebhookMeta) => Promise<WebhookOutcome>; steps?: never }
);
