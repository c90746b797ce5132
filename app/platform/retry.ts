// The retry policy shared by the outbox (Admin API jobs) and the webhook inbox (stored deliveries).

/** Attempts before a job or a delivery is marked failed for good (visible in the admin). */
export const MAX_ATTEMPTS = 8;

/** Exponential backoff with jitter: 2 s, 4 s, 8 s ... capped at 10 minutes. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(600_000, 2_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}
