// Placeholder seam for the outbox worker (issue: discount codes). Kept so entry.server has one call.
export function startInlineWorker(): void {
  /* the outbox worker is started here once it exists */
}
