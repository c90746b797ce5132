// In-process wake-up from the webhook routes to the applier running in the same process (the
// embedded default): a stored delivery is applied at once instead of at the next poll. Other
// processes find deliveries by polling; nothing depends on this signal for correctness.
import { EventEmitter } from "node:events";

const signal = new EventEmitter();
signal.setMaxListeners(0);

export function notifyDeliveryStored(): void {
  signal.emit("stored");
}

export function onDeliveryStored(listener: () => void): () => void {
  signal.on("stored", listener);
  return () => signal.off("stored", listener);
}
