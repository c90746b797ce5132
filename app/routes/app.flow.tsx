// The admin's Shopify Flow page: the triggers the app sends (what each carries, when it fires, whether
// a workflow of this shop uses it, how many were sent), the "Adjust loyalty points" action with its
// recent runs, and a recipe for emailing the welcome code. Service: app/features/flow/overview.server.ts.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import prisma from "../db.server";
import { adminContext } from "../admin/context.server";
import { formatDateTime, formatNumber, formatPoints } from "../admin/format";
import { flowOverview } from "../features/flow/overview.server";
import { payloadKeyOf } from "../domain/flow-triggers";

export const meta: MetaFunction = () => [{ title: "Shopify Flow · Loyalty" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  const overview = await flowOverview(prisma, shop.id);
  return {
    triggers: overview.triggers.map((t) => ({
      handle: t.declaration.handle,
      title: t.declaration.title,
      description: t.declaration.description,
      firesWhen: t.declaration.firesWhen,
      fields: t.declaration.fields.map((f) => ({ name: payloadKeyOf(f) === "customer_id" ? "Customer" : payloadKeyOf(f) === "order_id" ? "Order" : payloadKeyOf(f), description: f.description })),
      enabled: t.enabled,
      stateSince: t.stateSince ? formatDateTime(t.stateSince, timeZone) : null,
      sent: t.sent,
      waiting: t.waiting,
      failed: t.failed,
    })),
    unknownTriggers: overview.unknownTriggers,
    runs: overview.runs.map((r) => ({ ...r, createdAt: formatDateTime(r.createdAt, timeZone), customer: r.customerGid.replace("gid://shopify/Customer/", "") })),
    maxAdjustment: overview.maxAdjustment,
  };
};

type Trigger = ReturnType<typeof useLoaderData<typeof loader>>["triggers"][number];

function UseBadge({ trigger }: { trigger: Trigger }) {
  if (trigger.enabled === true) return <Badge tone="success">In use</Badge>;
  if (trigger.enabled === false) return <Badge>Turned off</Badge>;
  return <Badge tone="attention">No workflow yet</Badge>;
}

function TriggerCard({ trigger }: { trigger: Trigger }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200" wrap>
          <Text as="h3" variant="headingMd">
            {trigger.title}
          </Text>
          <UseBadge trigger={trigger} />
        </InlineStack>
        <Text as="p">{trigger.description}</Text>
        <Text as="p" tone="subdued">
          <Text as="span" fontWeight="semibold">
            When it fires:{" "}
          </Text>
          {trigger.firesWhen}
        </Text>
        <BlockStack gap="100">
          <Text as="h4" variant="headingSm">
            What it carries
          </Text>
          <List type="bullet">
            {trigger.fields.map((f) => (
              <List.Item key={f.name}>
                <Text as="span" fontWeight="semibold">
                  {f.name}
                </Text>{" "}
                — {f.description}
              </List.Item>
            ))}
          </List>
        </BlockStack>
        <Text as="p" tone="subdued" variant="bodySm">
          Sent to Flow: {formatNumber(trigger.sent)}
          {trigger.waiting > 0 ? ` · waiting: ${formatNumber(trigger.waiting)}` : ""}
          {trigger.failed > 0 ? ` · failed: ${formatNumber(trigger.failed)} (see Codes › Failed background jobs)` : ""}
          {trigger.stateSince ? ` · workflow state since ${trigger.stateSince}` : ""}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function FlowPage() {
  const { triggers, unknownTriggers, runs, maxAdjustment } = useLoaderData<typeof loader>();
  return (
    <Page title="Shopify Flow" subtitle="Message customers by email or SMS when their points or rewards change, and give points from any workflow.">
      <TitleBar title="Shopify Flow" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Recipe: send the welcome code by email
                </Text>
                <List type="number">
                  <List.Item>In Shopify Flow, create a workflow and choose the trigger “Loyalty reward code issued”.</List.Item>
                  <List.Item>Add a condition: Source is equal to “welcome”.</List.Item>
                  <List.Item>
                    Add the action “Send marketing email” (Shopify Email) and write the message with the trigger’s fields, for example: “Thanks for your first order! Use {"{{"} Code {"}}"} for {"{{"} Value {"}}"} before{" "}
                    {"{{"} Ends at {"}}"}”. Only customers subscribed to email marketing receive it; for SMS or transactional messages use your messaging app’s Flow action (Klaviyo, for example).
                  </List.Item>
                  <List.Item>Turn the workflow on. The app starts sending this trigger to Flow from then on (codes issued before are not sent).</List.Item>
                </List>
              </BlockStack>
            </Card>
            <Box paddingInlineStart={{ xs: "400", sm: "0" }}>
              <Text as="h2" variant="headingLg">
                Triggers
              </Text>
            </Box>
            {unknownTriggers.length > 0 ? (
              <Box padding="300" background="bg-surface-warning" borderRadius="200">
                <Text as="p">Flow reported workflows for triggers this version of the app does not send: {unknownTriggers.join(", ")}.</Text>
              </Box>
            ) : null}
            {triggers.map((t) => (
              <TriggerCard key={t.handle} trigger={t} />
            ))}
            <Box paddingInlineStart={{ xs: "400", sm: "0" }}>
              <Text as="h2" variant="headingLg">
                Action
              </Text>
            </Box>
            <Card>
              <BlockStack gap="300">
                <Text as="h3" variant="headingMd">
                  Adjust loyalty points
                </Text>
                <Text as="p">
                  Adds or takes points for a customer from any workflow: a product review, a birthday, a survey. Points: a whole number between −{formatNumber(maxAdjustment)} and {formatNumber(maxAdjustment)}, not 0. The
                  reason is shown in the customer’s points history.
                </Text>
                <Text as="p" tone="subdued">
                  Each run is applied once, even if Flow sends it again. Taking more points than the customer has is refused, and so is a customer who is not the shop’s. A customer who never ordered becomes a member. The
                  change does not fire “Loyalty points balance changed”, so a workflow on that trigger cannot feed itself through this action.
                </Text>
                {runs.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No runs yet.
                  </Text>
                ) : (
                  <BlockStack gap="0" as="ul">
                    {runs.map((r) => (
                      <Box as="li" key={r.actionRunId} paddingBlock="200" borderBlockStartWidth="025" borderColor="border">
                        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                          <BlockStack gap="050">
                            <Text as="span" fontWeight="semibold">
                              {r.reason}
                            </Text>
                            <Text as="span" tone="subdued" variant="bodySm">
                              Customer {r.customer} · {r.createdAt}
                            </Text>
                            {r.outcome === "applied" ? null : (
                              <Text as="span" tone="critical" variant="bodySm">
                                Refused: {r.refusal}
                              </Text>
                            )}
                          </BlockStack>
                          <Badge tone={r.outcome === "applied" ? "success" : "critical"}>{`${formatPoints(r.points, true)} ${r.outcome === "applied" ? "applied" : "refused"}`}</Badge>
                        </InlineStack>
                      </Box>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
