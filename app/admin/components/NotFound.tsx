// What the detail pages show for an id that is not this shop's (or no longer exists).
import { isRouteErrorResponse } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { Card, EmptyState, Page } from "@shopify/polaris";

export function NotFoundBoundary({ error, what, backUrl, backLabel }: { error: unknown; what: string; backUrl: string; backLabel: string }) {
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: backLabel, url: backUrl }} title={`${what} not found`}>
        <Card>
          <EmptyState heading={`This ${what.toLowerCase()} doesn't exist`} action={{ content: backLabel, url: backUrl }} image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png">
            <p>It may have been removed, or the link belongs to another store.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return boundary.error(error);
}
