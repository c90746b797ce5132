// Privacy: the customers' data requests Shopify sent (customers/data_request), each export ready to
// download as JSON, and what the app does on an erasure request. Shopify's requirements:
// https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, EmptyState, IndexTable, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { ImportIcon } from "@shopify/polaris-icons";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { adminContext } from "../admin/context.server";
import { listDataRequests, type DataRequestRow, type DataRequestStatus } from "../admin/privacy.server";
import { DATA_REQUESTS_SHOWN } from "../admin/shared";
import { plural } from "../admin/format";

export const meta: MetaFunction = () => [{ title: "Data requests · Loyalty" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  return listDataRequests(shop, timeZone);
};

const STATUS: Record<DataRequestStatus, { label: string; tone: "success" | "attention" | "critical" }> = {
  ready: { label: "Ready", tone: "success" },
  waiting: { label: "Being prepared", tone: "attention" },
  failed: { label: "Failed", tone: "critical" },
};

function contents(row: DataRequestRow): string {
  const s = row.summary;
  if (!s) return "—";
  const parts = [
    s.customerFound ? "member record" : "no member record",
    s.ledgerEntries ? plural(s.ledgerEntries, "points entry", "points entries") : null,
    s.orders ? plural(s.orders, "order", "orders") : null,
    s.issuedCodes ? plural(s.issuedCodes, "code", "codes") : null,
    s.redemptions ? plural(s.redemptions, "redemption", "redemptions") : null,
    s.outboxJobs ? plural(s.outboxJobs, "job", "jobs") : null,
    s.webhookDeliveries ? plural(s.webhookDeliveries, "stored webhook", "stored webhooks") : null,
    s.proxyRequests ? plural(s.proxyRequests, "storefront request", "storefront requests") : null,
  ];
  return parts.filter(Boolean).join(" · ");
}

/**
 * Fetches the export (App Bridge adds the session token to the app's own fetches) and saves it under
 * the name the server gives in Content-Disposition.
 */
function DownloadButton({ row }: { row: DataRequestRow }) {
  const shopify = useAppBridge();
  const [busy, setBusy] = useState(false);
  if (!row.downloadUrl) return null;
  const url = row.downloadUrl;
  const download = async () => {
    setBusy(true);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "data-request.json";
      const objectUrl = URL.createObjectURL(blob);
      const anchor = document.createElement("a");
      anchor.href = objectUrl;
      anchor.download = filename;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(objectUrl), 30_000);
      shopify.toast.show("Export downloaded");
    } catch {
      shopify.toast.show("The export could not be downloaded. Try again.", { isError: true });
    } finally {
      setBusy(false);
    }
  };
  const who = row.member?.name ?? (row.shopifyCustomerId ? `customer ${row.shopifyCustomerId}` : "this customer");
  return (
    <Button size="slim" icon={ImportIcon} loading={busy} onClick={() => void download()} accessibilityLabel={`Download JSON of ${who}`}>
      Download JSON
    </Button>
  );
}

function CustomerCell({ row }: { row: DataRequestRow }) {
  if (row.member) {
    return (
      <BlockStack gap="050">
        <Link url={`/app/customers/${row.member.id}`} removeUnderline>
          {row.member.name}
        </Link>
        {row.shopifyCustomerId ? (
          <Text as="span" variant="bodySm" tone="subdued">
            Shopify customer {row.shopifyCustomerId}
          </Text>
        ) : null}
      </BlockStack>
    );
  }
  return <Text as="span">{row.shopifyCustomerId ? `Shopify customer ${row.shopifyCustomerId}` : "Unknown customer"}</Text>;
}

function RequestsCard({ rows, total }: { rows: DataRequestRow[]; total: number }) {
  if (rows.length === 0) {
    return (
      <Card>
        <EmptyState heading="No data requests yet" image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png">
          <p>
            When a customer asks your store for the data it holds about them, Shopify tells the app. The app then gathers everything it stores about that customer into one file, listed here for you to download and send
            to them.
          </p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Customer data requests
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Send the file to the customer who asked: it holds everything this app stores about them.
            {total > DATA_REQUESTS_SHOWN ? ` The latest ${DATA_REQUESTS_SHOWN} of ${total} are shown.` : ""}
          </Text>
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "data request", plural: "data requests" }}
        itemCount={rows.length}
        selectable={false}
        headings={[{ title: "Received" }, { title: "Customer" }, { title: "Request" }, { title: "Status" }, { title: "Contents" }, { title: "Export" }]}
      >
        {rows.map((row, index) => (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>{row.receivedAt}</IndexTable.Cell>
            <IndexTable.Cell>
              <CustomerCell row={row} />
            </IndexTable.Cell>
            <IndexTable.Cell>{row.dataRequestId ? `#${row.dataRequestId}` : "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <span>
                  <Badge tone={STATUS[row.status].tone}>{STATUS[row.status].label}</Badge>
                </span>
                {row.reason ? (
                  <Text as="span" variant="bodySm" tone="critical">
                    {row.reason}
                  </Text>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {/* Table cells do not wrap; the contents line may. */}
              <div style={{ whiteSpace: "normal", minWidth: "12rem", maxWidth: "22rem" }}>
                <Text as="span" variant="bodySm">
                  {contents(row)}
                </Text>
              </div>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <DownloadButton row={row} />
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

export default function PrivacyPage() {
  const { rows, total } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Data requests" />
      <Layout>
        <Layout.Section>
          <RequestsCard rows={rows} total={total} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                What an export contains
              </Text>
              <Text as="p" variant="bodyMd">
                One JSON file with everything the app stores about the customer when the request arrives:
              </Text>
              <List>
                <List.Item>The member record: email, first and last name, Shopify customer id, points balance, pending and lifetime points, last activity.</List.Item>
                <List.Item>Every points entry, with its reason (including your staff&apos;s adjustment reasons), order, refund, campaign or reward, and the earning rule used.</List.Item>
                <List.Item>Discount codes issued to them (welcome and reward codes), with status, value, dates and the order that used them.</List.Item>
                <List.Item>Redemptions: rewards bought with points, the points spent and the code issued.</List.Item>
                <List.Item>Their orders as the app recorded them (and the orders Shopify lists in the request): totals, points earned, refunds, cancellation, codes used.</List.Item>
                <List.Item>Background jobs that name them, such as creating their code or syncing their points to Shopify.</List.Item>
                <List.Item>Webhooks from Shopify about them that are still stored (waiting to be processed, or failed), exactly as Shopify sent them.</List.Item>
                <List.Item>Storefront requests recorded for them in the last hour (kept to stop replays).</List.Item>
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                When a customer is erased
              </Text>
              <Text as="p" variant="bodyMd">
                On Shopify&apos;s erasure request the app removes the customer&apos;s email, name and phone from their member record, from points reasons and from stored webhooks, and deletes their exports here. Their
                points stay as an anonymous member, so your totals do not change.
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                48 hours after the app is uninstalled, Shopify asks for the store&apos;s data to be erased, and all of it is deleted.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
