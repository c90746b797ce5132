import { Banner } from "@shopify/polaris";
import type { WaitingForAccess } from "../codes.server";

/** Shown on the home and Codes pages while background jobs wait for Shopify access (decision 016). */
export function WaitingForAccessBanner({ waiting }: { waiting: WaitingForAccess }) {
  if (waiting.jobs === 0 && !waiting.since) return null;
  return (
    <Banner tone="warning" title={`${waiting.jobs} background ${waiting.jobs === 1 ? "job is" : "jobs are"} waiting for Shopify access`}>
      <p>
        Shopify stopped accepting the app's access to this store{waiting.since ? ` on ${waiting.since}` : ""}
        {waiting.reason ? ` (${waiting.reason})` : ""}. Nothing is lost: codes and points sync resume as soon as access is renewed. Reload this page to renew it; if this message stays, reinstall the app from your Shopify
        admin.
      </p>
    </Banner>
  );
}
