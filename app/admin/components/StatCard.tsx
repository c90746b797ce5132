import type { ReactNode } from "react";
import { BlockStack, Card, Text } from "@shopify/polaris";

/** One headline number, as Shopify's analytics cards show them. */
export function StatCard({ label, value, help }: { label: string; value: string; help?: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
