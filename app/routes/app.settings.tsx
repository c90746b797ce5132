import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, Checkbox, ChoiceList, Divider, FormLayout, Layout, Page, PageActions, Select, Text, TextField } from "@shopify/polaris";
import { SaveBar, TitleBar } from "@shopify/app-bridge-react";
import { adminContext, formText, notFound } from "../admin/context.server";
import { loadSettingsPage, saveRewardFromForm, saveSettingsFromForm, setRewardActive } from "../admin/settings.server";
import { settingsFormData, settingsToFormValues, type SettingsActionData, type SettingsBooleanField, type SettingsFormValues, type SettingsTextField } from "../admin/settings-form";
import { currencySymbol } from "../admin/format";
import { RewardsEditor } from "../admin/components/RewardsEditor";
import { useToast } from "../admin/components/useToast";

export const meta: MetaFunction = () => [{ title: "Program settings · Loyalty" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const { settings, rewards } = await loadSettingsPage(shop.id);
  return { values: settingsToFormValues(settings.settings), version: settings.version, rewards, currencyCode: shop.currencyCode };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await request.formData();
  const intent = formText(form, "intent");
  if (intent === "saveSettings") {
    const result = await saveSettingsFromForm(shop.id, form, actor);
    if (!result.ok) return json<SettingsActionData>({ intent, ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
    return json<SettingsActionData>({ intent, ok: true, version: result.version, changed: result.changed });
  }
  if (intent === "saveReward") {
    const rewardId = formText(form, "rewardId") || "new";
    const result = await saveRewardFromForm(shop.id, rewardId, form);
    if ("notFound" in result) throw notFound("Reward");
    if (!result.ok) return json<SettingsActionData>({ intent, ok: false, rewardId, fieldErrors: result.fieldErrors }, { status: 422 });
    return json<SettingsActionData>({ intent, ok: true, rewardId: result.reward.id, created: result.created });
  }
  if (intent === "setRewardActive") {
    const rewardId = formText(form, "rewardId");
    const active = formText(form, "active") === "true";
    if (!(await setRewardActive(shop.id, rewardId, active))) throw notFound("Reward");
    return json<SettingsActionData>({ intent, ok: true, rewardId, active });
  }
  return json({ error: `Unknown intent "${intent}"` }, { status: 400 });
};

const settingsToast = (data: SettingsActionData) => {
  if (data.intent !== "saveSettings") return null;
  if (!data.ok) return "Fix the highlighted fields to save";
  return data.changed ? "Settings saved" : "Settings saved (no changes)";
};
const settingsToastIsError = (data: SettingsActionData) => !data.ok;

export default function SettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const fetcher = useFetcher<SettingsActionData>({ key: "settings" });
  const [values, setValues] = useState<SettingsFormValues>(loaded.values);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const loadedKey = JSON.stringify(loaded.values);
  // A save (or another tab's) brings new stored values: the form starts from them again.
  useEffect(() => {
    setValues(JSON.parse(loadedKey) as SettingsFormValues);
  }, [loadedKey]);
  const dirty = useMemo(() => JSON.stringify(values) !== loadedKey, [values, loadedKey]);
  const saving = fetcher.state !== "idle";

  useEffect(() => {
    const data = fetcher.data;
    if (data?.intent !== "saveSettings") return;
    setErrors(data.ok ? {} : data.fieldErrors);
  }, [fetcher.data]);
  useToast(fetcher.data, settingsToast, settingsToastIsError);

  const setBool = (field: SettingsBooleanField) => (checked: boolean) => {
    setValues((v) => ({ ...v, [field]: checked }));
    setErrors(({ [field]: _removed, ...rest }) => rest);
  };
  const setText = (field: SettingsTextField) => (text: string) => {
    setValues((v) => ({ ...v, [field]: text }));
    setErrors(({ [field]: _removed, ...rest }) => rest);
  };
  const save = () => fetcher.submit(settingsFormData(values), { method: "post" });
  const discard = () => {
    setValues(JSON.parse(loadedKey) as SettingsFormValues);
    setErrors({});
  };
  const currency = loaded.currencyCode;
  const symbol = currencySymbol(currency);
  const errorCount = Object.keys(errors).length;
  const bool = (field: SettingsBooleanField) => ({ checked: values[field], onChange: setBool(field), error: errors[field] });
  const text = (field: SettingsTextField) => ({ value: values[field], onChange: setText(field), error: errors[field], autoComplete: "off" as const });

  return (
    <Page>
      <TitleBar title="Program settings" />
      <SaveBar id="settings-save-bar" open={dirty}>
        <button variant="primary" onClick={save} disabled={saving}></button>
        <button onClick={discard} disabled={saving}></button>
      </SaveBar>
      <BlockStack gap="500">
        {errorCount > 0 ? (
          <Banner tone="critical" title={`${errorCount === 1 ? "1 field needs" : `${errorCount} fields need`} changes before the settings can be saved`}>
            <p>Nothing was saved. Each problem is shown next to its field.</p>
          </Banner>
        ) : null}
        <Layout>
          <Layout.AnnotatedSection id="earning" title="Earning" description="How many points an order earns and when they can be spent.">
            <Card>
              <FormLayout>
                <Checkbox label="Program is on: paid orders earn points" helpText="Turn off to pause earning. Redeeming points keeps working." {...bool("enabled")} />
                <FormLayout.Group>
                  <TextField label={`Points per 1 ${currency} spent`} inputMode="decimal" helpText="For example 1, or 0.5 for 1 point per 2 spent" {...text("pointsPerUnit")} />
                  <Select
                    label="Rounding"
                    options={[
                      { label: "Round down", value: "down" },
                      { label: "Round to nearest point", value: "nearest" },
                    ]}
                    value={values.rounding}
                    onChange={setText("rounding")}
                    error={errors.rounding}
                  />
                </FormLayout.Group>
                <Checkbox label="Shipping earns points" {...bool("includeShipping")} />
                <Checkbox label="Taxes earn points" {...bool("includeTaxes")} />
                <FormLayout.Group>
                  <TextField label="Minimum order subtotal" inputMode="decimal" prefix={symbol} helpText="Orders below this earn nothing. Leave empty for no minimum." {...text("minOrderSubtotal")} />
                  <TextField label="Pending period" type="number" suffix="days" helpText="Points become spendable after this many days (your return window). 0 = at once." {...text("pendingDays")} />
                </FormLayout.Group>
                <Checkbox label="Test orders earn points" helpText="Useful while you try the program on a development store." {...bool("testOrdersEarn")} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection id="exclusions" title="Exclusions" description="Products and orders that never earn points.">
            <Card>
              <FormLayout>
                <TextField label="Excluded product IDs" multiline={3} helpText="Product IDs separated by commas or new lines, e.g. 632910392 or gid://shopify/Product/632910392" {...text("excludedProductIds")} />
                <TextField label="Excluded order tags" helpText="Comma-separated. Orders with any of these tags earn nothing (not case-sensitive)." {...text("excludedOrderTags")} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection id="campaigns" title="Campaigns" description="What happens when two points campaigns run at the same time.">
            <Card>
              <ChoiceList
                title="Overlapping campaigns"
                choices={[
                  { label: "Use the highest multiplier", value: "highest", helpText: "A 2× and a 1.5× campaign at once give 2×." },
                  { label: "Multiply the multipliers", value: "multiply", helpText: "A 2× and a 1.5× campaign at once give 3×." },
                ]}
                selected={[values.campaignStacking]}
                onChange={(selected) => setText("campaignStacking")(selected[0] ?? "highest")}
                error={errors.campaignStacking}
              />
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection id="welcome" title="Welcome bonus" description="Thank customers for their first order with points, a discount code, or both.">
            <Card>
              <FormLayout>
                <TextField label="Welcome bonus points" type="number" helpText="Given on a customer's first order at your store. 0 = none." {...text("welcomeBonusPoints")} />
                <Checkbox label="Take the welcome bonus back if the first order is fully refunded or cancelled" {...bool("welcomeBonusClawback")} />
                <Divider />
                <Checkbox label="Send a thank-you discount code after the first order" {...bool("welcomeCode.enabled")} />
                {values["welcomeCode.enabled"] ? (
                  <FormLayout>
                    <FormLayout.Group>
                      <Select
                        label="Discount type"
                        options={[
                          { label: "Percentage off", value: "percentage" },
                          { label: "Amount off", value: "fixed_amount" },
                        ]}
                        value={values["welcomeCode.discountType"]}
                        onChange={setText("welcomeCode.discountType")}
                        error={errors["welcomeCode.discountType"]}
                      />
                      <TextField
                        label="Discount value"
                        inputMode="decimal"
                        prefix={values["welcomeCode.discountType"] === "fixed_amount" ? symbol : undefined}
                        suffix={values["welcomeCode.discountType"] === "percentage" ? "%" : undefined}
                        {...text("welcomeCode.value")}
                      />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      <TextField label="Code valid for" type="number" suffix="days" {...text("welcomeCode.validityDays")} />
                      <TextField label="Minimum order subtotal for the code" inputMode="decimal" prefix={symbol} helpText="Optional" {...text("welcomeCode.minSubtotal")} />
                    </FormLayout.Group>
                    <BlockStack gap="100">
                      <Text as="p" variant="bodyMd">
                        The code combines with
                      </Text>
                      <Checkbox label="Order discounts" {...bool("welcomeCode.combinesWith.orderDiscounts")} />
                      <Checkbox label="Product discounts" {...bool("welcomeCode.combinesWith.productDiscounts")} />
                      <Checkbox label="Shipping discounts" {...bool("welcomeCode.combinesWith.shippingDiscounts")} />
                    </BlockStack>
                  </FormLayout>
                ) : null}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection id="codes" title="Reward codes" description="Codes customers buy with points.">
            <Card>
              <Checkbox label="Return points when a reward code expires unused" helpText="Customers get back the points they spent on a code they never used." {...bool("expiredCodesReturnPoints")} />
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <PageActions primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: !dirty }} secondaryActions={[{ content: "Discard", onAction: discard, disabled: !dirty || saving }]} />
          </Layout.Section>
        </Layout>
        <Divider />
        <Layout>
          <Layout.AnnotatedSection id="rewards" title="Rewards" description="What members can spend points on. Deactivated rewards stay in past customers' history.">
            <RewardsEditor rewards={loaded.rewards} currencyCode={currency} />
          </Layout.AnnotatedSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}
