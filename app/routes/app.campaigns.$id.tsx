import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigate, useNavigation, useRouteError, useSearchParams, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, Checkbox, FormLayout, InlineStack, Layout, List, Page, PageActions, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { adminContext, formText, notFound } from "../admin/context.server";
import {
  EMPTY_CAMPAIGN_FORM,
  campaignFormValues,
  campaignRule,
  campaignView,
  costPreview,
  createCampaign,
  windowRule,
  endCampaign,
  findCampaign,
  overlapWarning,
  parseCampaignForm,
  updateCampaign,
  type CampaignFormValues,
  type CostPreview,
  type OverlapWarning,
} from "../admin/campaigns.server";
import { currencySymbol, formatCurrency, formatNumber, timeZoneLabel } from "../admin/format";
import { addCalendarDays, zonedDateOf } from "../domain/time";
import { campaignStatus, campaignWindowFromLocal } from "../domain/campaigns";
import { CampaignStatusBadge } from "../admin/components/CampaignStatusBadge";
import { NotFoundBoundary } from "../admin/components/NotFound";
import { useToast } from "../admin/components/useToast";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.campaign?.name ?? (data?.isNew ? "New campaign" : "Campaign")} · Loyalty` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  const now = new Date();
  const common = { timeZoneLabel: timeZoneLabel(timeZone), currencyCode: shop.currencyCode };
  if (params.id === "new") {
    // Defaults: from the next local midnight for three days.
    const tomorrow = addCalendarDays(zonedDateOf(now, timeZone), 1);
    const form: CampaignFormValues = { ...EMPTY_CAMPAIGN_FORM, startsAt: `${tomorrow}T00:00`, endsAt: `${addCalendarDays(tomorrow, 3)}T00:00` };
    return { ...common, isNew: true as const, campaign: null, form, overlap: null, preview: null };
  }
  const row = await findCampaign(shop.id, params.id ?? "");
  if (!row) throw notFound("Campaign");
  const view = campaignView(row, timeZone, now);
  const parsed = parseCampaignForm(view.form, timeZone);
  const [overlap, preview] = await Promise.all([overlapWarning(shop.id, campaignRule(row), timeZone), parsed.ok ? costPreview(shop.id, parsed.campaign, now) : Promise.resolve(null)]);
  return { ...common, isNew: false as const, campaign: view, form: view.form, overlap, preview };
};

export type CampaignActionData =
  | { intent: "save"; ok: true }
  | { intent: "save"; ok: false; fieldErrors: Record<string, string> }
  | { intent: "end"; ok: true }
  | { intent: "preview"; ok: true; overlap: OverlapWarning | null; preview: CostPreview | null }
  | { intent: "preview"; ok: false };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, timeZone } = await adminContext(request);
  const form = await request.formData();
  const intent = formText(form, "intent");
  const id = params.id ?? "";
  const existing = id === "new" ? null : await findCampaign(shop.id, id);
  if (id !== "new" && !existing) throw notFound("Campaign");

  if (intent === "end") {
    if (!existing) throw notFound("Campaign");
    await endCampaign(shop.id, existing.id);
    return json<CampaignActionData>({ intent, ok: true });
  }
  const values = campaignFormValues(form);
  const parsed = parseCampaignForm(values, timeZone);
  if (intent === "preview") {
    // Overlaps need only a valid window; the cost needs the whole campaign.
    const window = campaignWindowFromLocal(values.startsAt, values.endsAt, timeZone);
    if (!window.ok) return json<CampaignActionData>({ intent, ok: false });
    const rule = windowRule(existing?.id ?? "new", values.name, window.startsAt, window.endsAt);
    const [overlap, preview] = await Promise.all([overlapWarning(shop.id, rule, timeZone), parsed.ok ? costPreview(shop.id, parsed.campaign) : Promise.resolve(null)]);
    return json<CampaignActionData>({ intent, ok: true, overlap, preview });
  }
  if (intent === "save") {
    if (!parsed.ok) return json<CampaignActionData>({ intent, ok: false, fieldErrors: parsed.fieldErrors }, { status: 422 });
    if (!existing) {
      const created = await createCampaign(shop.id, parsed.campaign);
      // A relative redirect: the page's next data request carries its own session token.
      return redirect(`/app/campaigns/${created.id}?created=1`);
    }
    if (campaignStatus(campaignRule(existing), new Date()) === "ended") {
      return json<CampaignActionData>({ intent, ok: false, fieldErrors: { _form: "This campaign has ended and can't be changed. Create a new one instead." } }, { status: 422 });
    }
    await updateCampaign(shop.id, existing.id, parsed.campaign);
    return json<CampaignActionData>({ intent, ok: true });
  }
  return json({ error: `Unknown intent "${intent}"` }, { status: 400 });
};

function stackingText(stacking: OverlapWarning["stacking"]): string {
  return stacking === "highest"
    ? "Your settings use the highest multiplier: an order placed while both run earns only the larger one."
    : "Your settings multiply the multipliers: an order placed while both run earns them multiplied together (2× and 1.5× give 3×).";
}

function OverlapBanner({ overlap }: { overlap: OverlapWarning }) {
  const names = overlap.campaigns.map((c) => c.name).join(", ");
  return (
    <Banner tone="warning" title={`This campaign runs at the same time as ${names}`}>
      <BlockStack gap="200">
        <List>
          {overlap.campaigns.map((c) => (
            <List.Item key={c.id}>{`${c.name} (${c.multiplier}×): ${c.window}`}</List.Item>
          ))}
        </List>
        <p>{stackingText(overlap.stacking)}</p>
      </BlockStack>
    </Banner>
  );
}

export default function CampaignPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<CampaignActionData>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const submit = useSubmit();
  const previewFetcher = useFetcher<CampaignActionData>({ key: "campaign-preview" });
  const endFetcher = useFetcher<CampaignActionData>({ key: "campaign-end" });
  const [searchParams, setSearchParams] = useSearchParams();
  const [values, setValues] = useState<CampaignFormValues>(data.form);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const ended = data.campaign?.status === "ended";
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";

  const formKey = JSON.stringify(data.form);
  useEffect(() => setValues(JSON.parse(formKey) as CampaignFormValues), [formKey]);
  useEffect(() => {
    if (actionData?.intent === "save") setErrors(actionData.ok ? {} : actionData.fieldErrors);
  }, [actionData]);
  useToast(actionData, (d) => (d.intent === "save" && d.ok ? "Campaign saved" : null));
  useToast(endFetcher.data, (d) => (d.intent === "end" ? "Campaign ended" : null));
  // Keyed by campaign: creating another one from this page toasts again.
  const created = searchParams.get("created") === "1" ? `created:${data.campaign?.id ?? ""}` : undefined;
  useToast(created, () => "Campaign created");
  useEffect(() => {
    if (!created) return;
    const next = new URLSearchParams(searchParams);
    next.delete("created");
    setSearchParams(next, { replace: true, preventScrollReset: true });
  }, [created, searchParams, setSearchParams]);

  // Overlaps and the cost preview follow the form as it is edited (nothing is saved). Keyed by the values'
  // content: the form reset from loader data is a new object with the same values, and asks nothing.
  // The loader already previewed a stored campaign as it opens: its first request waits for an edit.
  const valuesKey = JSON.stringify(values);
  const previewedByLoader = useRef(!data.isNew);
  const submitPreview = previewFetcher.submit;
  useEffect(() => {
    if (previewedByLoader.current) {
      previewedByLoader.current = false;
      return;
    }
    const timer = setTimeout(() => {
      const edited = JSON.parse(valuesKey) as CampaignFormValues;
      submitPreview({ intent: "preview", ...edited, firstOrderOnly: edited.firstOrderOnly ? "true" : "false" }, { method: "post" });
    }, 400);
    return () => clearTimeout(timer);
  }, [valuesKey, submitPreview]);
  const live = previewFetcher.data?.intent === "preview" && previewFetcher.data.ok ? previewFetcher.data : null;
  const overlap = live ? live.overlap : data.overlap;
  const preview = live ? live.preview : data.preview;

  const set =
    <K extends keyof CampaignFormValues>(key: K) =>
    (value: CampaignFormValues[K]) => {
      setValues((v) => ({ ...v, [key]: value }));
      setErrors(({ [key]: _removed, ...rest }) => rest);
    };
  const save = () => submit({ intent: "save", ...values, firstOrderOnly: values.firstOrderOnly ? "true" : "false" }, { method: "post" });
  const end = () => endFetcher.submit({ intent: "end" }, { method: "post" });
  const money = (amount: string) => formatCurrency(amount, data.currencyCode);
  const title = data.campaign?.name ?? "New campaign";

  return (
    <Page narrowWidth={false}>
      <TitleBar title={title}>
        <button variant="breadcrumb" onClick={() => navigate("/app/campaigns")}>
          Campaigns
        </button>
      </TitleBar>
      <BlockStack gap="500">
        {errors._form ? (
          <Banner tone="critical" title="The campaign wasn't saved">
            <p>{errors._form}</p>
          </Banner>
        ) : null}
        {Object.keys(errors).length > 0 && !errors._form ? (
          <Banner tone="critical" title="The campaign wasn't saved">
            <p>Fix the fields marked below.</p>
          </Banner>
        ) : null}
        {overlap ? <OverlapBanner overlap={overlap} /> : null}
        {ended && data.campaign ? (
          <Banner tone="info" title="This campaign has ended">
            <p>{`It stopped earning bonus points on ${data.campaign.endedAtText ?? data.campaign.endsAtText}. Ended campaigns can't be changed.`}</p>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Campaign details
                  </Text>
                  <FormLayout>
                    <TextField label="Name" autoComplete="off" value={values.name} onChange={set("name")} error={errors.name} disabled={ended} helpText="For you and your team; customers see the extra points." />
                    <TextField
                      label="Points multiplier"
                      autoComplete="off"
                      inputMode="decimal"
                      suffix="× points"
                      value={values.multiplier}
                      onChange={set("multiplier")}
                      error={errors.multiplier}
                      disabled={ended}
                      helpText="2 = double points, 1.5 = 50% more"
                    />
                    <FormLayout.Group>
                      <TextField label="Starts" type="datetime-local" autoComplete="off" value={values.startsAt} onChange={set("startsAt")} error={errors.startsAt} disabled={ended} />
                      <TextField label="Ends" type="datetime-local" autoComplete="off" value={values.endsAt} onChange={set("endsAt")} error={errors.endsAt} disabled={ended} />
                    </FormLayout.Group>
                    <Text as="p" variant="bodySm" tone="subdued">
                      {`Times are in your store's time zone, ${data.timeZoneLabel}. Orders placed from the start up to (not including) the end earn the bonus.`}
                    </Text>
                  </FormLayout>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Conditions
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField
                        label="Minimum order subtotal"
                        autoComplete="off"
                        inputMode="decimal"
                        prefix={currencySymbol(data.currencyCode)}
                        value={values.minSubtotal}
                        onChange={set("minSubtotal")}
                        error={errors.minSubtotal}
                        disabled={ended}
                        helpText="Optional"
                      />
                      <TextField
                        label="Promo code"
                        autoComplete="off"
                        value={values.promoCode}
                        onChange={set("promoCode")}
                        error={errors.promoCode}
                        disabled={ended}
                        helpText="Optional: only orders using this discount code earn the bonus"
                      />
                    </FormLayout.Group>
                    <Checkbox label="Only a customer's first order" checked={values.firstOrderOnly} onChange={set("firstOrderOnly")} disabled={ended} />
                  </FormLayout>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              {data.campaign ? (
                <Card>
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h2" variant="headingMd">
                        Status
                      </Text>
                      <CampaignStatusBadge status={data.campaign.status} />
                    </InlineStack>
                    <Text as="p">{`${data.campaign.startsAtText} – ${data.campaign.endedAtText ?? data.campaign.endsAtText}`}</Text>
                  </BlockStack>
                </Card>
              ) : null}
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Estimated cost
                  </Text>
                  {preview ? (
                    <>
                      <Text as="p" variant="headingLg">
                        {`${formatNumber(preview.extraPoints)} extra points`}
                      </Text>
                      <Text as="p" tone="subdued">
                        {`Had it run over the last ${preview.days} days: ${formatNumber(preview.qualifyingOrders)} of ${formatNumber(preview.ordersConsidered)} orders that earned points would have qualified.`}
                      </Text>
                      <Text as="p" tone="subdued">
                        {preview.extraValue !== null ? `About ${money(preview.extraValue)} at your cheapest reward's price.` : "Add an amount-off reward to see this in money."}
                      </Text>
                    </>
                  ) : (
                    <Text as="p" tone="subdued">
                      Enter a multiplier and dates to see what this campaign would have cost on your recent orders.
                    </Text>
                  )}
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section>
            {!ended ? (
              <PageActions
                primaryAction={{ content: data.isNew ? "Create campaign" : "Save", onAction: save, loading: saving }}
                secondaryActions={data.isNew ? [{ content: "Cancel", url: "/app/campaigns" }] : [{ content: "End campaign now", destructive: true, onAction: end, loading: endFetcher.state !== "idle" }]}
              />
            ) : null}
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <NotFoundBoundary error={useRouteError()} what="Campaign" backUrl="/app/campaigns" backLabel="Campaigns" />;
}
