import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, FormLayout, IndexTable, InlineGrid, InlineStack, Layout, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { adminContext, formText, notFound } from "../admin/context.server";
import { adjustPoints, adjustmentNonce, customerLedger, findCustomer, redeemableRewards, type AdjustResult } from "../admin/customers.server";
import { redeemReward } from "../features/codes/codes.server";
import prisma from "../db.server";
import { adminCustomerUrl, customerDisplayName, formatDateTime, formatPoints } from "../admin/format";
import { NotFoundBoundary } from "../admin/components/NotFound";
import { useToast } from "../admin/components/useToast";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.customer.name ?? "Customer"} · Loyalty` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  const customer = await findCustomer(shop.id, params.id ?? "");
  if (!customer) throw notFound("Customer");
  const page = Math.max(1, Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10) || 1);
  const ledger = await customerLedger(shop.id, customer.id, timeZone, page);
  return {
    customer: {
      id: customer.id,
      name: customerDisplayName(customer),
      email: customer.redactedAt ? null : customer.email,
      adminUrl: customer.redactedAt ? null : adminCustomerUrl(customer.shopifyCustomerId),
      balance: customer.balance,
      pending: customer.pending,
      lifetimeEarned: customer.lifetimeEarned,
      memberSince: formatDateTime(customer.createdAt, timeZone),
    },
    ledger,
    // A fresh idempotency key for the adjustment form on every load: a double submit of one form
    // writes once; the next adjustment gets a new key.
    nonce: adjustmentNonce(),
    rewards: await redeemableRewards(shop.id),
  };
};

export type RedeemActionData = { intent: "redeem"; ok: true; code: string; endsAt: string } | { intent: "redeem"; ok: false; message: string };

function RedeemRewardCard({ rewards, balance }: { rewards: { id: string; name: string; pointsCost: number }[]; balance: number }) {
  const fetcher = useFetcher<RedeemActionData>({ key: "redeem-reward" });
  const [rewardId, setRewardId] = useState(rewards[0]?.id ?? "");
  const data = fetcher.data;
  if (rewards.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Redeem a reward
        </Text>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="redeem" />
          <BlockStack gap="300">
            <Select
              label="Reward"
              name="rewardId"
              options={rewards.map((r) => ({ label: `${r.name} (${formatPoints(r.pointsCost)} pts)`, value: r.id }))}
              helpText={`Available balance: ${formatPoints(balance)} points. Points are debited now; the code is single-use and only for this customer.`}
              value={rewardId}
              onChange={setRewardId}
            />
            {data && !data.ok ? <Banner tone="critical">{data.message}</Banner> : null}
            {data && data.ok ? (
              <Banner tone="success">
                Code {data.code} issued, valid until {data.endsAt}. It is created in Shopify for this customer only.
              </Banner>
            ) : null}
            <InlineStack align="end">
              <Button submit loading={fetcher.state !== "idle"}>
                Redeem for customer
              </Button>
            </InlineStack>
          </BlockStack>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}

export type AdjustActionData = { intent: "adjust" } & Exclude<AdjustResult, { notFound: true }>;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, actor, timeZone } = await adminContext(request);
  const form = await request.formData();
  const intent = formText(form, "intent");
  if (intent === "redeem") {
    // The merchant spends the customer's points on a reward (same rules and code as the storefront).
    const customer = await findCustomer(shop.id, params.id ?? "");
    if (!customer) throw notFound("Customer");
    const result = await redeemReward(prisma, { shopId: shop.id, customerId: customer.id, rewardId: formText(form, "rewardId"), actor });
    if (!result.ok) return json<RedeemActionData>({ intent, ok: false, message: result.message }, { status: result.status });
    return json<RedeemActionData>({ intent, ok: true, code: result.code.code, endsAt: formatDateTime(result.code.endsAt, timeZone) });
  }
  if (intent !== "adjust") return json({ error: `Unknown intent "${intent}"` }, { status: 400 });
  const result = await adjustPoints({ shopId: shop.id, customerId: params.id ?? "", form, actor });
  if ("notFound" in result) throw notFound("Customer");
  if ("fieldErrors" in result) return json<AdjustActionData>({ intent, ...result }, { status: 422 });
  if ("needsConfirmation" in result) return json<AdjustActionData>({ intent, ...result }, { status: 409 });
  return json<AdjustActionData>({ intent, ...result });
};

function AdjustPointsCard({ customerName, balance, nonce }: { customerName: string; balance: number; nonce: string }) {
  const fetcher = useFetcher<AdjustActionData>({ key: "adjust-points" });
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirm, setConfirm] = useState<{ resultingBalance: number } | null>(null);
  const data = fetcher.data;
  const busy = fetcher.state !== "idle";

  useEffect(() => {
    if (!data) return;
    if (data.ok) {
      setPoints("");
      setReason("");
      setErrors({});
      setConfirm(null);
    } else if ("fieldErrors" in data) {
      setErrors(data.fieldErrors);
    } else if ("needsConfirmation" in data) {
      setConfirm({ resultingBalance: data.resultingBalance });
    }
  }, [data]);
  useToast(data, (d) => (d.ok ? `${formatPoints(d.points, true)} points ${d.duplicate ? "already recorded" : "recorded"}` : null));

  const send = (confirmNegative: boolean) => fetcher.submit({ intent: "adjust", points, reason, nonce, confirmNegative: confirmNegative ? "true" : "false" }, { method: "post" });

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Adjust points
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Add points with a positive number, take them away with a negative one. The reason shows in the history.
          </Text>
        </BlockStack>
        {errors._form ? <Banner tone="critical">{errors._form}</Banner> : null}
        <FormLayout>
          <TextField
            label="Points"
            type="number"
            autoComplete="off"
            value={points}
            onChange={(v) => {
              setPoints(v);
              setConfirm(null);
              setErrors(({ points: _removed, ...rest }) => rest);
            }}
            error={errors.points}
            helpText={`Current balance: ${formatPoints(balance)}`}
          />
          <TextField
            label="Reason"
            autoComplete="off"
            multiline={2}
            value={reason}
            onChange={(v) => {
              setReason(v);
              setErrors(({ reason: _removed, ...rest }) => rest);
            }}
            error={errors.reason}
            placeholder="e.g. Goodwill for a late delivery"
          />
        </FormLayout>
        {confirm ? (
          <Banner tone="warning" title={`This leaves ${customerName} with ${formatPoints(confirm.resultingBalance)} points`}>
            <BlockStack gap="300">
              <p>A negative balance is a debt: the customer can't redeem rewards until they earn it back.</p>
              <InlineStack gap="200">
                <Button variant="primary" tone="critical" onClick={() => send(true)} loading={busy}>
                  Deduct anyway
                </Button>
                <Button onClick={() => setConfirm(null)} disabled={busy}>
                  Cancel
                </Button>
              </InlineStack>
            </BlockStack>
          </Banner>
        ) : (
          <InlineStack align="end">
            <Button variant="primary" onClick={() => send(false)} loading={busy}>
              Adjust points
            </Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

export default function CustomerPage() {
  const { customer, ledger, nonce, rewards } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const goToPage = (page: number) => {
    const next = new URLSearchParams(searchParams);
    if (page > 1) next.set("page", String(page));
    else next.delete("page");
    setSearchParams(next, { preventScrollReset: true });
  };

  return (
    <Page>
      <TitleBar title={customer.name}>
        <button variant="breadcrumb" onClick={() => navigate("/app/customers")}>
          Customers
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <Text as="h2" variant="headingMd">
                Points history
              </Text>
            </Box>
            <IndexTable
              resourceName={{ singular: "entry", plural: "entries" }}
              itemCount={ledger.entries.length}
              selectable={false}
              emptyState={
                <Box padding="400">
                  <Text as="p" tone="subdued">
                    No points activity yet.
                  </Text>
                </Box>
              }
              headings={[{ title: "Date" }, { title: "Activity" }, { title: "Points", alignment: "end" }]}
              pagination={
                ledger.hasNext || ledger.hasPrevious
                  ? {
                      hasNext: ledger.hasNext,
                      hasPrevious: ledger.hasPrevious,
                      onNext: () => goToPage(ledger.page + 1),
                      onPrevious: () => goToPage(ledger.page - 1),
                    }
                  : undefined
              }
            >
              {ledger.entries.map((entry, index) => (
                <IndexTable.Row id={entry.id} key={entry.id} position={index}>
                  <IndexTable.Cell>
                    <Text as="span" variant="bodySm">
                      {entry.date}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="span" fontWeight="semibold">
                          {entry.kindLabel}
                        </Text>
                        {entry.order ? (
                          entry.order.url ? (
                            <Link url={entry.order.url} target="_top" accessibilityLabel={`Order ${entry.order.name} in Shopify admin`}>
                              {entry.order.name}
                            </Link>
                          ) : (
                            <Text as="span">{entry.order.name}</Text>
                          )
                        ) : null}
                      </InlineStack>
                      {entry.details.map((detail) => (
                        <Text as="span" variant="bodySm" tone="subdued" key={detail}>
                          {detail}
                        </Text>
                      ))}
                      <Text as="span" variant="bodySm" tone="subdued">
                        {`By: ${entry.by}`}
                      </Text>
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="050" inlineAlign="end">
                      <Text as="span" numeric fontWeight="semibold" tone={entry.points < 0 ? "critical" : "success"}>
                        {formatPoints(entry.points, true)}
                      </Text>
                      {entry.status === "pending" ? <Badge tone="attention">{`Pending until ${entry.availableOn}`}</Badge> : null}
                    </BlockStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    {customer.name}
                  </Text>
                  {customer.email ? (
                    <Text as="p" tone="subdued">
                      {customer.email}
                    </Text>
                  ) : null}
                  {customer.adminUrl ? (
                    <Link url={customer.adminUrl} target="_top">
                      View in Shopify admin
                    </Link>
                  ) : null}
                </BlockStack>
                <Divider />
                <InlineGrid columns={2} gap="300">
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      Available
                    </Text>
                    <Text as="p" variant="headingXl" tone={customer.balance < 0 ? "critical" : undefined}>
                      {formatPoints(customer.balance)}
                    </Text>
                  </BlockStack>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      Pending
                    </Text>
                    <Text as="p" variant="headingXl">
                      {formatPoints(customer.pending)}
                    </Text>
                  </BlockStack>
                </InlineGrid>
                <Text as="p" variant="bodySm" tone="subdued">
                  {`${formatPoints(customer.lifetimeEarned)} earned in total · customer since ${customer.memberSince}`}
                </Text>
                {customer.balance < 0 ? (
                  <Banner tone="warning">
                    <p>The balance is negative after points were taken back. Rewards are paused until it is earned back.</p>
                  </Banner>
                ) : null}
              </BlockStack>
            </Card>
            <AdjustPointsCard customerName={customer.name} balance={customer.balance} nonce={nonce} />
            <RedeemRewardCard rewards={rewards} balance={customer.balance} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <NotFoundBoundary error={useRouteError()} what="Customer" backUrl="/app/customers" backLabel="Customers" />;
}
