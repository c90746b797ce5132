// The rewards editor of the settings page: the shop's rewards, each editable in place (one form per
// reward, posted to the page's action with intent saveReward) and switched on or off (setRewardActive).
import { useCallback, useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, ButtonGroup, Card, Checkbox, Divider, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { RewardRow } from "../settings.server";
import { EMPTY_REWARD, type RewardFormValues, type SettingsActionData } from "../settings-form";
import { currencySymbol, formatCurrency, formatNumber, plural } from "../format";
import { useToast } from "./useToast";

function rewardSummary(reward: RewardRow, currencyCode: string): string {
  const value = reward.discountType === "free_shipping" ? "Free shipping" : reward.discountType === "percentage" ? `${reward.value}% off` : `${formatCurrency(reward.value, currencyCode)} off`;
  const minimum = reward.minSubtotal ? ` on orders over ${formatCurrency(reward.minSubtotal, currencyCode)}` : "";
  return `${value}${minimum} · ${formatNumber(reward.pointsCost)} points · code valid ${reward.validityDays} ${reward.validityDays === 1 ? "day" : "days"}`;
}

function rewardFormValues(reward: RewardRow): RewardFormValues {
  return {
    name: reward.name,
    pointsCost: String(reward.pointsCost),
    discountType: reward.discountType,
    value: reward.discountType === "free_shipping" ? "" : reward.value,
    minSubtotal: reward.minSubtotal ?? "",
    validityDays: String(reward.validityDays),
    active: reward.active,
  };
}

function RewardForm({ rewardId, initial, currencyCode, onDone }: { rewardId: string; initial: RewardFormValues; currencyCode: string; onDone: () => void }) {
  const fetcher = useFetcher<SettingsActionData>({ key: `reward-${rewardId}` });
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const saving = fetcher.state !== "idle";
  const data = fetcher.data;
  useEffect(() => {
    if (data?.intent !== "saveReward") return;
    if (data.ok) onDone();
    else setErrors(data.fieldErrors);
  }, [data, onDone]);
  useToast(data, (d) => (d.intent === "saveReward" && d.ok ? (d.created ? "Reward added" : "Reward saved") : null));

  const set =
    <K extends keyof RewardFormValues>(key: K) =>
    (value: RewardFormValues[K]) => {
      setValues((v) => ({ ...v, [key]: value }));
      setErrors((e) => {
        const { [key]: _removed, ...rest } = e;
        return rest;
      });
    };
  const save = () => {
    fetcher.submit({ intent: "saveReward", rewardId, ...values, active: values.active ? "true" : "false" }, { method: "post" });
  };
  return (
    <Box padding="400" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="400">
        <Text as="h3" variant="headingSm">
          {rewardId === "new" ? "New reward" : `Edit ${initial.name}`}
        </Text>
        <FormLayout>
          <TextField label="Reward name" autoComplete="off" value={values.name} onChange={set("name")} error={errors.name} helpText="Customers see this name" />
          <FormLayout.Group>
            <TextField label="Points cost" type="number" autoComplete="off" value={values.pointsCost} onChange={set("pointsCost")} error={errors.pointsCost} />
            <Select
              label="Discount"
              options={[
                { label: "Amount off", value: "fixed_amount" },
                { label: "Percentage off", value: "percentage" },
                { label: "Free shipping", value: "free_shipping" },
              ]}
              value={values.discountType}
              onChange={(v) => set("discountType")(v as RewardFormValues["discountType"])}
              error={errors.discountType}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            {values.discountType !== "free_shipping" ? (
              <TextField
                label={values.discountType === "percentage" ? "Percentage off" : "Amount off"}
                autoComplete="off"
                inputMode="decimal"
                value={values.value}
                onChange={set("value")}
                error={errors.value}
                prefix={values.discountType === "fixed_amount" ? currencySymbol(currencyCode) : undefined}
                suffix={values.discountType === "percentage" ? "%" : undefined}
              />
            ) : null}
            <TextField
              label="Minimum order subtotal"
              autoComplete="off"
              inputMode="decimal"
              value={values.minSubtotal}
              onChange={set("minSubtotal")}
              error={errors.minSubtotal}
              prefix={currencySymbol(currencyCode)}
              helpText="Optional"
            />
            <TextField label="Code valid for" type="number" autoComplete="off" value={values.validityDays} onChange={set("validityDays")} error={errors.validityDays} suffix="days" />
          </FormLayout.Group>
          <Checkbox label="Customers can redeem this reward" checked={values.active} onChange={set("active")} />
        </FormLayout>
        <InlineStack align="end" gap="200">
          <Button onClick={onDone} disabled={saving}>
            Cancel
          </Button>
          <Button variant="primary" onClick={save} loading={saving}>
            {rewardId === "new" ? "Add reward" : "Save reward"}
          </Button>
        </InlineStack>
      </BlockStack>
    </Box>
  );
}

function RewardActiveToggle({ reward }: { reward: RewardRow }) {
  const fetcher = useFetcher<SettingsActionData>({ key: `reward-active-${reward.id}` });
  useToast(fetcher.data, (d) => (d.intent === "setRewardActive" ? (d.active ? "Reward activated" : "Reward deactivated") : null));
  return (
    <Button
      variant="tertiary"
      tone={reward.active ? "critical" : undefined}
      loading={fetcher.state !== "idle"}
      onClick={() => fetcher.submit({ intent: "setRewardActive", rewardId: reward.id, active: reward.active ? "false" : "true" }, { method: "post" })}
      accessibilityLabel={`${reward.active ? "Deactivate" : "Activate"} ${reward.name}`}
    >
      {reward.active ? "Deactivate" : "Activate"}
    </Button>
  );
}

/** The settings page's Rewards card: the list, with a form to add one or edit one in place. */
export function RewardsEditor({ rewards, currencyCode }: { rewards: RewardRow[]; currencyCode: string }) {
  const [editing, setEditing] = useState<string | null>(null);
  const close = useCallback(() => setEditing(null), []);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {rewards.length === 0 ? "No rewards yet" : `${plural(rewards.filter((r) => r.active).length, "active reward", "active rewards")}`}
          </Text>
          <Button onClick={() => setEditing("new")} disabled={editing === "new"}>
            Add reward
          </Button>
        </InlineStack>
        {editing === "new" ? <RewardForm rewardId="new" initial={EMPTY_REWARD} currencyCode={currencyCode} onDone={close} /> : null}
        {rewards.length === 0 && editing !== "new" ? (
          <Text as="p" tone="subdued">
            Add a reward so members have something to spend points on.
          </Text>
        ) : null}
        {rewards.map((reward, index) => (
          <BlockStack gap="300" key={reward.id}>
            {index > 0 || editing === "new" ? <Divider /> : null}
            {editing === reward.id ? (
              <RewardForm rewardId={reward.id} initial={rewardFormValues(reward)} currencyCode={currencyCode} onDone={close} />
            ) : (
              <InlineStack align="space-between" blockAlign="center" wrap={false} gap="400">
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="bodyMd" fontWeight="semibold">
                      {reward.name}
                    </Text>
                    {reward.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {rewardSummary(reward, currencyCode)}
                  </Text>
                </BlockStack>
                <ButtonGroup>
                  <Button variant="tertiary" onClick={() => setEditing(reward.id)} accessibilityLabel={`Edit ${reward.name}`}>
                    Edit
                  </Button>
                  <RewardActiveToggle reward={reward} />
                </ButtonGroup>
              </InlineStack>
            )}
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
