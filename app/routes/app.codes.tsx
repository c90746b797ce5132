import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, EmptySearchResult, IndexFilters, IndexFiltersMode, IndexTable, InlineStack, Link, Page, Text, useSetIndexFiltersMode } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { WaitingForAccessBanner } from "../admin/components/WaitingForAccessBanner";
import { adminContext, formText, notFound } from "../admin/context.server";
import { failedJobs, listCodes, parseCodesQuery, retryFailedJob, waitingForAccess, type FailedJobRow } from "../admin/codes.server";
import { CODE_STATUSES, type CodeStatus } from "../admin/shared";
import { useToast } from "../admin/components/useToast";

export const meta: MetaFunction = () => [{ title: "Discount codes · Loyalty" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  const query = parseCodesQuery(new URL(request.url));
  const [codes, jobs, waiting] = await Promise.all([listCodes(shop, timeZone, query), failedJobs(shop.id, timeZone), waitingForAccess(shop.id, timeZone)]);
  return { ...codes, jobs, waiting, query };
};

export type CodesActionData = { intent: "retryJob"; ok: true; jobId: string; requeued: boolean };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await adminContext(request);
  const form = await request.formData();
  const intent = formText(form, "intent");
  if (intent !== "retryJob") return json({ error: `Unknown intent "${intent}"` }, { status: 400 });
  const jobId = formText(form, "jobId");
  const requeued = await retryFailedJob(shop.id, jobId);
  if (requeued === null) throw notFound("Job");
  return json<CodesActionData>({ intent, ok: true, jobId, requeued });
};

const STATUS_LABELS: Record<CodeStatus, string> = { creating: "Creating", issued: "Issued", used: "Used", expired: "Expired", failed: "Failed" };
const STATUS_TONES: Partial<Record<CodeStatus, "success" | "info" | "critical" | "attention">> = {
  issued: "info",
  used: "success",
  failed: "critical",
  creating: "attention",
};

function RetryButton({ job }: { job: FailedJobRow }) {
  const fetcher = useFetcher<CodesActionData>({ key: `retry-${job.id}` });
  useToast(fetcher.data, (d) => (d.requeued ? "Job queued to run again" : "This job was already queued"));
  return (
    <Button size="slim" loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "retryJob", jobId: job.id }, { method: "post" })} accessibilityLabel={`Retry ${job.kind}`}>
      Retry
    </Button>
  );
}

function FailedJobsCard({ jobs }: { jobs: FailedJobRow[] }) {
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Failed background jobs
            </Text>
            <Badge tone="critical">{String(jobs.length)}</Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            These stopped after repeated errors. Fix the cause (for example the app's permissions), then retry.
          </Text>
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "job", plural: "jobs" }}
        itemCount={jobs.length}
        selectable={false}
        headings={[{ title: "Job" }, { title: "Last error" }, { title: "Attempts", alignment: "end" }, { title: "Last tried" }, { title: "Action" }]}
      >
        {jobs.map((job, index) => (
          <IndexTable.Row id={job.id} key={job.id} position={index}>
            <IndexTable.Cell>
              <Text as="span" fontWeight="semibold">
                {job.kind}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Box maxWidth="420px">
                <Text as="span" tone="critical" breakWord>
                  {job.lastError}
                </Text>
              </Box>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {String(job.attempts)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{job.updatedAt}</IndexTable.Cell>
            <IndexTable.Cell>
              <RetryButton job={job} />
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

export default function CodesPage() {
  const { codes, counts, hasNext, hasPrevious, jobs, waiting, query } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const { mode, setMode } = useSetIndexFiltersMode(IndexFiltersMode.Default);
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/codes";
  const statuses: (CodeStatus | null)[] = [null, ...CODE_STATUSES];
  const total = Object.values(counts).reduce((sum: number, n) => sum + (n ?? 0), 0);
  const tabs = statuses.map((status) => ({
    id: status ?? "all",
    content: status ? STATUS_LABELS[status] : "All",
    badge: String(status ? (counts[status] ?? 0) : total),
    isLocked: true,
  }));
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setSearchParams(next, { preventScrollReset: true });
  };

  return (
    <Page>
      <TitleBar title="Discount codes" />
      <BlockStack gap="500">
        <WaitingForAccessBanner waiting={waiting} />
        {jobs.length > 0 ? <FailedJobsCard jobs={jobs} /> : null}
        <Card padding="0">
          <IndexFilters
            tabs={tabs}
            selected={Math.max(0, statuses.indexOf(query.status))}
            onSelect={(index) => update({ status: statuses[index] ?? null, page: null })}
            canCreateNewView={false}
            hideQueryField
            hideFilters
            queryValue=""
            onQueryChange={() => undefined}
            onQueryClear={() => undefined}
            filters={[]}
            appliedFilters={[]}
            onClearAll={() => undefined}
            mode={mode}
            setMode={setMode}
            loading={loading}
          />
          <IndexTable
            resourceName={{ singular: "code", plural: "codes" }}
            itemCount={codes.length}
            selectable={false}
            loading={loading}
            emptyState={
              <EmptySearchResult title={query.status ? `No ${STATUS_LABELS[query.status].toLowerCase()} codes` : "No codes yet"} description="Welcome codes and rewards bought with points appear here." withIllustration />
            }
            headings={[{ title: "Code" }, { title: "Source" }, { title: "Status" }, { title: "Customer" }, { title: "Discount" }, { title: "Ends" }, { title: "Used on" }]}
            pagination={{
              hasNext,
              hasPrevious,
              onNext: () => update({ page: String(query.page + 1) }),
              onPrevious: () => update({ page: query.page > 2 ? String(query.page - 1) : null }),
            }}
          >
            {codes.map((code, index) => (
              <IndexTable.Row id={code.id} key={code.id} position={index}>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {code.code}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{code.source === "welcome" ? "Welcome" : "Points redemption"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONES[code.status as CodeStatus]}>{STATUS_LABELS[code.status as CodeStatus] ?? code.status}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Link url={`/app/customers/${code.customer.id}`} removeUnderline>
                    {code.customer.name}
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{code.value}</IndexTable.Cell>
                <IndexTable.Cell>{code.endsAt}</IndexTable.Cell>
                <IndexTable.Cell>
                  {code.order ? (
                    code.order.url ? (
                      <Link url={code.order.url} target="_top" accessibilityLabel={`Order ${code.order.name} in Shopify admin`}>
                        {code.order.name}
                      </Link>
                    ) : (
                      code.order.name
                    )
                  ) : (
                    <Text as="span" tone="subdued">
                      —
                    </Text>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
