import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { shopOverview } from "../ledger/overview.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return shopOverview(session.shop);
};

export default function Index() {
  const overview = useLoaderData<typeof loader>();
  const stats = [
    { label: "Members", value: overview.members.toLocaleString("en-US") },
    { label: "Points issued", value: overview.pointsIssued.toLocaleString("en-US") },
    { label: "Points outstanding", value: overview.pointsOutstanding.toLocaleString("en-US") },
  ];
  return (
    <Page>
      <TitleBar title="Loyalty" />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            {stats.map((s) => (
              <Card key={s.label}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm" tone="subdued">
                    {s.label}
                  </Text>
                  <Text as="p" variant="heading2xl">
                    {s.value}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
