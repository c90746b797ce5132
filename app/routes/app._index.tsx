import { useCallback, useEffect, useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, Checkbox, Icon, InlineGrid, InlineStack, Layout, Page, ProgressBar, Select, Text } from "@shopify/polaris";
import { CheckCircleIcon } from "@shopify/polaris-icons";
import { TitleBar } from "@shopify/app-bridge-react";
import { adminContext } from "../admin/context.server";
import { loadDashboard, parsePeriod } from "../admin/dashboard.server";
import { waitingForAccess } from "../admin/codes.server";
import { WaitingForAccessBanner } from "../admin/components/WaitingForAccessBanner";
import { formatCurrency, formatNumber, formatPercent, plural, timeZoneLabel } from "../admin/format";
import { PointsChart } from "../admin/components/PointsChart";
import { StatCard } from "../admin/components/StatCard";

export const meta: MetaFunction = () => [{ title: "Loyalty" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  const period = parsePeriod(new URL(request.url).searchParams.get("period"));
  const [dashboard, waiting] = await Promise.all([loadDashboard(shop, timeZone, period), waitingForAccess(shop.id, timeZone)]);
  return { dashboard, waiting, shopDomain: shop.domain, timeZone, timeZoneLabel: timeZoneLabel(timeZone) };
};

function ChecklistStep({ done, title, children }: { done: boolean; title: string; children?: React.ReactNode }) {
  return (
    <InlineStack gap="300" wrap={false} blockAlign="start">
      <Box minWidth="20px">
        {done ? (
          <Icon source={CheckCircleIcon} tone="success" accessibilityLabel="Done" />
        ) : (
          <div aria-label="To do" role="img" style={{ width: 18, height: 18, margin: 1, borderRadius: "50%", border: "1.5px dashed var(--p-color-border-emphasis)" }} />
        )}
      </Box>
      <BlockStack gap="100">
        <Text as="p" variant="bodyMd" fontWeight="semibold" tone={done ? "subdued" : undefined}>
          {title}
        </Text>
        {children}
      </BlockStack>
    </InlineStack>
  );
}

/**
 * Shown until the program is live (an order has earned points). Whether the theme block is on the
 * storefront can't be known without reading the theme through the Admin API, so the merchant ticks
 * it; the tick lives in this browser only (nothing new is stored on the server).
 */
function OnboardingChecklist({ shopDomain, earningRuleSaved, welcomeBonusSet, rewardCreated }: { shopDomain: string; earningRuleSaved: boolean; welcomeBonusSet: boolean; rewardCreated: boolean }) {
  const storageKey = `loyalty:theme-block-added:${shopDomain}`;
  const [themeBlockAdded, setThemeBlockAdded] = useState(false);
  useEffect(() => {
    try {
      setThemeBlockAdded(window.localStorage.getItem(storageKey) === "yes");
    } catch {
      /* storage blocked: the box simply starts unticked */
    }
  }, [storageKey]);
  const toggleThemeBlock = useCallback(
    (checked: boolean) => {
      setThemeBlockAdded(checked);
      try {
        if (checked) window.localStorage.setItem(storageKey, "yes");
        else window.localStorage.removeItem(storageKey);
      } catch {
        /* not remembered */
      }
    },
    [storageKey],
  );
  const steps = [earningRuleSaved, themeBlockAdded, welcomeBonusSet, rewardCreated];
  const done = steps.filter(Boolean).length;
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Get your loyalty program live
            </Text>
            <Badge tone={done === steps.length ? "success" : "attention"}>{`${done} of ${steps.length} done`}</Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            This list goes away once the first order earns points.
          </Text>
          <ProgressBar progress={(done / steps.length) * 100} size="small" tone="primary" />
        </BlockStack>
        <ChecklistStep done={earningRuleSaved} title="Set how customers earn points">
          <Text as="p" tone="subdued">
            Choose points per unit spent, what counts towards points and when they become available.
          </Text>
          {!earningRuleSaved ? (
            <Box>
              <Button url="/app/settings">Set earning rule</Button>
            </Box>
          ) : null}
        </ChecklistStep>
        <ChecklistStep done={themeBlockAdded} title="Add the loyalty block to your theme">
          <Text as="p" tone="subdued">
            In Online Store › Themes › Customize, add the Loyalty points block so customers see their balance.
          </Text>
          <Checkbox label="I've added the block to my theme" checked={themeBlockAdded} onChange={toggleThemeBlock} />
        </ChecklistStep>
        <ChecklistStep done={welcomeBonusSet} title="Welcome new members">
          <Text as="p" tone="subdued">
            Give bonus points or a thank-you code on a customer's first order.
          </Text>
          {!welcomeBonusSet ? (
            <Box>
              <Button url="/app/settings">Set welcome bonus</Button>
            </Box>
          ) : null}
        </ChecklistStep>
        <ChecklistStep done={rewardCreated} title="Create a reward to spend points on">
          {!rewardCreated ? (
            <Box>
              <Button url="/app/settings#rewards">Add a reward</Button>
            </Box>
          ) : null}
        </ChecklistStep>
      </BlockStack>
    </Card>
  );
}

export default function Index() {
  const { dashboard: d, waiting, shopDomain, timeZoneLabel: zoneLabel } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const period = String(d.retention.period);
  const money = (amount: string) => formatCurrency(amount, d.currencyCode);

  const onPeriodChange = (value: string) => {
    const next = new URLSearchParams(searchParams);
    next.set("period", value);
    setSearchParams(next, { preventScrollReset: true });
  };

  return (
    <Page>
      <TitleBar title="Loyalty" />
      <BlockStack gap="500">
        <WaitingForAccessBanner waiting={waiting} />
        {!d.onboarding.live ? (
          <OnboardingChecklist shopDomain={shopDomain} earningRuleSaved={d.onboarding.earningRuleSaved} welcomeBonusSet={d.onboarding.welcomeBonusSet} rewardCreated={d.onboarding.rewardCreated} />
        ) : null}

        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingLg">
            Program overview
          </Text>
          <Box minWidth="180px">
            <Select
              label="Period"
              labelInline
              options={[
                { label: "Last 30 days", value: "30" },
                { label: "Last 90 days", value: "90" },
              ]}
              value={period}
              onChange={onPeriodChange}
              disabled={navigation.state !== "idle"}
            />
          </Box>
        </InlineStack>

        <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
          <StatCard label="Members" value={formatNumber(d.members)} help="Customers with any points activity" />
          <StatCard label="Points issued" value={formatNumber(d.pointsIssued)} help="All points ever earned, bonuses included" />
          <StatCard label="Points redeemed" value={formatNumber(d.pointsRedeemed)} help="Spent on rewards, net of points returned" />
          <StatCard
            label="Points outstanding"
            value={formatNumber(d.pointsOutstanding)}
            help={`${formatNumber(d.outstandingAvailable)} available, ${formatNumber(d.outstandingPending)} pending · worth ${d.outstandingValue === null ? "—" : money(d.outstandingValue)}`}
          />
          <StatCard label="Redemption rate" value={formatPercent(d.redemptionRate)} help="Points redeemed ÷ points issued" />
          <StatCard label="Revenue from loyalty codes" value={money(d.loyaltyCodeRevenue.amount)} help={`${plural(d.loyaltyCodeRevenue.orders, "order", "orders")} used a loyalty code`} />
        </InlineGrid>
        {d.redemptionPrice ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {`Outstanding points are valued at your cheapest reward, ${d.redemptionPrice.rewardName}: ${money(d.redemptionPrice.value)} for ${formatNumber(d.redemptionPrice.pointsCost)} points.`}
          </Text>
        ) : (
          <Text as="p" variant="bodySm" tone="subdued">
            Add an amount-off reward to see what outstanding points are worth.
          </Text>
        )}

        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Points earned and redeemed
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {`Per day, ${zoneLabel}`}
                </Text>
                <PointsChart daily={d.daily} />
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Customer retention
                  </Text>
                  <Text as="p" variant="heading2xl">
                    {formatPercent(d.retention.rate)}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`Of the ${formatNumber(d.retention.atStart)} customers who ordered in the ${period} days before this period, the share who ordered again in the last ${period} days.`}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`(${formatNumber(d.retention.atEnd)} customers this period − ${formatNumber(d.retention.newCustomers)} new) ÷ ${formatNumber(d.retention.atStart)}`}
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Repeat purchase rate
                  </Text>
                  <InlineGrid columns={2} gap="300">
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm" tone="subdued">
                        Members
                      </Text>
                      <Text as="p" variant="headingXl">
                        {formatPercent(d.repeatPurchase.members.rate)}
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {`${formatNumber(d.repeatPurchase.members.repeatCustomers)} of ${formatNumber(d.repeatPurchase.members.customers)}`}
                      </Text>
                    </BlockStack>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm" tone="subdued">
                        Non-members
                      </Text>
                      <Text as="p" variant="headingXl">
                        {formatPercent(d.repeatPurchase.nonMembers.rate)}
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {`${formatNumber(d.repeatPurchase.nonMembers.repeatCustomers)} of ${formatNumber(d.repeatPurchase.nonMembers.customers)}`}
                      </Text>
                    </BlockStack>
                  </InlineGrid>
                  <Text as="p" variant="bodySm" tone="subdued">
                    Customers with more than one paid order, of those with at least one, across all orders the app has seen.
                  </Text>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
