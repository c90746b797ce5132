// Fault injection: what tests ask the fake to do to the next requests (fail, hang, throttle, fail
// after the change was made). The HTTP layer and the GraphQL layer take the queued faults in the
// order Shopify would meet them.
import type { FailNextOptions, FakeRequestRecord } from "./types";

export interface Faults {
  /** The next n requests answer HTTP `status` (default 502) without doing anything. */
  failNext(n: number, options?: FailNextOptions): void;
  /** The next n requests never answer; they reject when their AbortSignal fires. */
  timeoutNext(n: number): void;
  /** The next n GraphQL operations answer THROTTLED with this currentlyAvailable (default 0). */
  throttleNext(n: number, options?: { currentlyAvailable?: number }): void;
  /** The next n operations are executed, then answer HTTP `status` (default 502). */
  failAfterCommit(n: number, options?: { status?: 500 | 502 | 503 | 504 }): void;
  /** Rejects every request left hanging without a signal. */
  releaseHanging(): void;

  /** True when this request is one of the timeoutNext ones (counted down). */
  takeTimeout(): boolean;
  takeFailure(): (Required<Pick<FailNextOptions, "status">> & FailNextOptions) | undefined;
  takeThrottle(): { currentlyAvailable: number } | undefined;
  takeFailAfterCommit(): { status: number } | undefined;
  /** A response that never comes: rejects when `signal` fires, or on releaseHanging when there is none. */
  hang(record: FakeRequestRecord, signal: AbortSignal | null | undefined): Promise<Response>;
}

export function createFaults(): Faults {
  const failNextQueue: Array<Required<Pick<FailNextOptions, "status">> & FailNextOptions> = [];
  let timeoutCount = 0;
  const throttleQueue: Array<{ currentlyAvailable: number }> = [];
  const failAfterCommitQueue: Array<{ status: number }> = [];
  const hanging = new Set<(reason: unknown) => void>();

  return {
    failNext(n, opts = {}) {
      for (let i = 0; i < n; i++) failNextQueue.push({ ...opts, status: opts.status ?? 502 });
    },
    timeoutNext(n) {
      timeoutCount += n;
    },
    throttleNext(n, opts = {}) {
      for (let i = 0; i < n; i++) throttleQueue.push({ currentlyAvailable: opts.currentlyAvailable ?? 0 });
    },
    failAfterCommit(n, opts = {}) {
      for (let i = 0; i < n; i++) failAfterCommitQueue.push({ status: opts.status ?? 502 });
    },
    releaseHanging() {
      for (const reject of hanging) reject(new DOMException("shopify-admin-fake: released", "AbortError"));
      hanging.clear();
    },
    takeTimeout() {
      if (timeoutCount <= 0) return false;
      timeoutCount--;
      return true;
    },
    takeFailure: () => failNextQueue.shift(),
    takeThrottle: () => throttleQueue.shift(),
    takeFailAfterCommit: () => failAfterCommitQueue.shift(),
    hang(record, signal) {
      return new Promise<Response>((_, reject) => {
        if (!signal) {
          hanging.add(reject);
          return;
        }
        // Like fetch: reject with the signal's reason once it fires (or now, if it already has).
        const onAbort = () => {
          record.clientAborted = true;
          reject(signal.reason ?? new DOMException("This operation was aborted", "AbortError"));
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}

/** The body text Shopify's edge answers an HTTP error with. */
export function httpStatusText(status: number): string {
  return { 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" }[status] ?? `HTTP ${status}`;
}
