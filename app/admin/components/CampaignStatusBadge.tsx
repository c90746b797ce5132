import { Badge } from "@shopify/polaris";
import type { CampaignStatus } from "../../domain/campaigns";

const LABELS: Record<CampaignStatus, { label: string; tone?: "success" | "info" }> = {
  active: { label: "Active", tone: "success" },
  scheduled: { label: "Scheduled", tone: "info" },
  ended: { label: "Ended" },
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const { label, tone } = LABELS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
