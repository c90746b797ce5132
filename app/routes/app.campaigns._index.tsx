import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Link, Page, Text, Tooltip } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { adminContext } from "../admin/context.server";
import { listCampaigns } from "../admin/campaigns.server";
import { formatCurrency, timeZoneLabel } from "../admin/format";
import { CampaignStatusBadge } from "../admin/components/CampaignStatusBadge";

export const meta: MetaFunction = () => [{ title: "Campaigns · Loyalty" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  return { campaigns: await listCampaigns(shop.id, timeZone), timeZoneLabel: timeZoneLabel(timeZone), currencyCode: shop.currencyCode };
};

export default function CampaignsPage() {
  const { campaigns, timeZoneLabel: zoneLabel, currencyCode } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const create = () => navigate("/app/campaigns/new");

  return (
    <Page>
      <TitleBar title="Campaigns">
        <button variant="primary" onClick={create}>
          Create campaign
        </button>
      </TitleBar>
      <BlockStack gap="400">
        {campaigns.length === 0 ? (
          <Card>
            <EmptyState heading="Run a double-points weekend" action={{ content: "Create campaign", url: "/app/campaigns/new" }} image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png">
              <p>Campaigns multiply the points orders earn for a while, for everyone or for orders using a promo code.</p>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "campaign", plural: "campaigns" }}
              itemCount={campaigns.length}
              selectable={false}
              headings={[{ title: "Campaign" }, { title: "Status" }, { title: "Multiplier", alignment: "end" }, { title: "Runs" }, { title: "Conditions" }]}
            >
              {campaigns.map((campaign, index) => {
                const conditions = [
                  campaign.promoCode ? `Code ${campaign.promoCode}` : null,
                  campaign.minSubtotal ? `Over ${formatCurrency(campaign.minSubtotal, currencyCode)}` : null,
                  campaign.firstOrderOnly ? "First orders only" : null,
                ].filter(Boolean);
                return (
                  <IndexTable.Row id={campaign.id} key={campaign.id} position={index}>
                    <IndexTable.Cell>
                      <InlineStack gap="200" blockAlign="center" wrap={false}>
                        <Link url={`/app/campaigns/${campaign.id}`} removeUnderline monochrome dataPrimaryLink>
                          <Text as="span" fontWeight="semibold">
                            {campaign.name}
                          </Text>
                        </Link>
                        {campaign.overlapsWith.length > 0 ? (
                          <Tooltip content={`Runs at the same time as ${campaign.overlapsWith.join(", ")}`}>
                            <Badge tone="warning">Overlaps</Badge>
                          </Tooltip>
                        ) : null}
                      </InlineStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <CampaignStatusBadge status={campaign.status} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {`${campaign.multiplier}×`}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span">{`${campaign.startsAtText} – ${campaign.endedAtText ?? campaign.endsAtText}`}</Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" tone={conditions.length ? undefined : "subdued"}>
                        {conditions.length ? conditions.join(" · ") : "All orders"}
                      </Text>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          </Card>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {`Times are shown in your store's time zone, ${zoneLabel}.`}
        </Text>
      </BlockStack>
    </Page>
  );
}
