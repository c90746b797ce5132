import { useCallback, useEffect, useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, EmptySearchResult, IndexFilters, IndexFiltersMode, IndexTable, Link, Page, Text, useSetIndexFiltersMode, type IndexFiltersProps } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { adminContext } from "../admin/context.server";
import { listCustomers, parseCustomerListQuery, type CustomerSort, type SortDirection } from "../admin/customers.server";
import { CUSTOMERS_PAGE_SIZE } from "../admin/shared";
import { formatPoints } from "../admin/format";

export const meta: MetaFunction = () => [{ title: "Customers · Loyalty" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  const query = parseCustomerListQuery(new URL(request.url));
  const result = await listCustomers(shop.id, timeZone, query);
  return { ...result, query };
};

const SORT_COLUMNS: Record<CustomerSort, number> = { balance: 1, lifetime: 3, activity: 4 };
const COLUMN_SORTS: Record<number, CustomerSort> = { 1: "balance", 3: "lifetime", 4: "activity" };

const sortOptions: IndexFiltersProps["sortOptions"] = [
  { label: "Last activity", value: "activity desc", directionLabel: "Most recent first" },
  { label: "Last activity", value: "activity asc", directionLabel: "Least recent first" },
  { label: "Points balance", value: "balance desc", directionLabel: "Highest first" },
  { label: "Points balance", value: "balance asc", directionLabel: "Lowest first" },
  { label: "Lifetime earned", value: "lifetime desc", directionLabel: "Highest first" },
  { label: "Lifetime earned", value: "lifetime asc", directionLabel: "Lowest first" },
];

export default function CustomersPage() {
  const { customers, hasNext, hasPrevious, query } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const { mode, setMode } = useSetIndexFiltersMode(query.q ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);
  const [queryValue, setQueryValue] = useState(query.q);
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/customers";

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(searchParams);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      setSearchParams(next, { preventScrollReset: true });
    },
    [searchParams, setSearchParams],
  );

  // Search on the server a moment after typing stops; a new search starts at page 1.
  useEffect(() => {
    if (queryValue.trim() === query.q) return;
    const timer = setTimeout(() => update({ q: queryValue.trim(), page: null }), 300);
    return () => clearTimeout(timer);
  }, [queryValue, query.q, update]);

  const setSort = (sort: CustomerSort, dir: SortDirection) => update({ sort, dir, page: null });

  const rows = customers.map((customer, index) => (
    <IndexTable.Row id={customer.id} key={customer.id} position={index}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <Link url={`/app/customers/${customer.id}`} removeUnderline monochrome dataPrimaryLink>
            <Text as="span" fontWeight="semibold">
              {customer.name}
            </Text>
          </Link>
          {customer.email && customer.email !== customer.name ? (
            <Text as="span" variant="bodySm" tone="subdued">
              {customer.email}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric tone={customer.balance < 0 ? "critical" : undefined}>
          {formatPoints(customer.balance)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric tone={customer.pending ? undefined : "subdued"}>
          {formatPoints(customer.pending)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {formatPoints(customer.lifetimeEarned)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{customer.lastActivity}</IndexTable.Cell>
    </IndexTable.Row>
  ));

  return (
    <Page fullWidth={false}>
      <TitleBar title="Customers" />
      <Card padding="0">
        <IndexFilters
          sortOptions={sortOptions}
          sortSelected={[`${query.sort} ${query.dir}`]}
          onSort={(value) => {
            const [sort, dir] = (value[0] ?? "activity desc").split(" ") as [CustomerSort, SortDirection];
            setSort(sort, dir);
          }}
          queryValue={queryValue}
          queryPlaceholder="Search by name or email"
          onQueryChange={setQueryValue}
          onQueryClear={() => setQueryValue("")}
          cancelAction={{ onAction: () => setQueryValue(""), disabled: false, loading: false }}
          tabs={[{ content: "All customers", id: "all-customers", isLocked: true }]}
          selected={0}
          onSelect={() => undefined}
          canCreateNewView={false}
          filters={[]}
          appliedFilters={[]}
          onClearAll={() => setQueryValue("")}
          hideFilters
          mode={mode}
          setMode={setMode}
          loading={loading}
        />
        <IndexTable
          resourceName={{ singular: "customer", plural: "customers" }}
          itemCount={customers.length}
          selectable={false}
          loading={loading}
          emptyState={
            <EmptySearchResult
              title={query.q ? "No customers found" : "No customers yet"}
              description={query.q ? "Try another name or email address." : "Customers appear here after their first order with the app installed."}
              withIllustration
            />
          }
          headings={[{ title: "Customer" }, { title: "Balance", alignment: "end" }, { title: "Pending", alignment: "end" }, { title: "Lifetime earned", alignment: "end" }, { title: "Last activity" }]}
          sortable={[false, true, false, true, true]}
          sortColumnIndex={SORT_COLUMNS[query.sort]}
          sortDirection={query.dir === "asc" ? "ascending" : "descending"}
          defaultSortDirection="descending"
          onSort={(index, direction) => {
            const sort = COLUMN_SORTS[index];
            if (sort) setSort(sort, direction === "ascending" ? "asc" : "desc");
          }}
          pagination={{
            hasNext,
            hasPrevious,
            onNext: () => update({ page: String(query.page + 1) }),
            onPrevious: () => update({ page: query.page > 2 ? String(query.page - 1) : null }),
            label: customers.length ? `${(query.page - 1) * CUSTOMERS_PAGE_SIZE + 1}–${(query.page - 1) * CUSTOMERS_PAGE_SIZE + customers.length}` : undefined,
          }}
        >
          {rows}
        </IndexTable>
      </Card>
    </Page>
  );
}
