/** @jsxImportSource preact */
// The customer account's Rewards page (target customer-account.page.render): balance and pending
// points, the rewards with a Redeem button, the discount codes the customer holds (value, minimum, end
// date, copy), and the points history with its reasons. Shaped like Shopify's customer-account
// tutorials: a Preact component rendered into document.body, Polaris web components, `s-page` as the
// container. https://shopify.dev/docs/apps/build/customer-accounts/full-page-extensions/build-new-pages
// https://shopify.dev/docs/apps/build/customer-accounts/full-page-extensions/ux-for-full-pages
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fetchAccount, redeem, type AccountSummary, type ActiveCode, type Reward } from "./account-api";
import { discountValue, endDate, historyDate, historyReason, minimumSpend, points, signedPoints, type I18nLike } from "./format";

export default async () => {
  render(<RewardsPage />, document.body);
};

type Outcome = { kind: "redeemed"; code: ActiveCode | null; codeText: string; endsAt: string; ready: boolean } | { kind: "refused"; reason: string; seconds: number | null };

const ERROR_REASONS = ["rate_limited", "replayed", "insufficient_points", "in_debt", "reward_inactive", "unknown_reward", "network"];

function RewardsPage() {
  const i18n = shopify.i18n as I18nLike;
  const t = i18n.translate;
  const [summary, setSummary] = useState<AccountSummary | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [redeeming, setRedeeming] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Checked synchronously: the button's loading state reaches the host asynchronously, and each click
  // carries a new requestId, so without this a double click could redeem twice.
  const busy = useRef(false);

  async function load() {
    setLoadFailed(false);
    try {
      setSummary(await fetchAccount(shopify));
    } catch {
      setLoadFailed(true);
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function onRedeem(reward: Reward) {
    if (busy.current) return;
    busy.current = true;
    setRedeeming(reward.id);
    setOutcome(null);
    const answer = await redeem(shopify, reward.id).finally(() => {
      busy.current = false;
    });
    setRedeeming(null);
    if (answer.ok) {
      setSummary(answer.summary);
      const listed = answer.summary.activeCodes.find((c) => c.code === answer.code.code) ?? null;
      setOutcome({ kind: "redeemed", code: listed, codeText: answer.code.code, endsAt: answer.code.endsAt, ready: answer.code.status === "issued" });
      return;
    }
    setOutcome({ kind: "refused", reason: answer.reason, seconds: answer.retryAfterSeconds });
    // The balance or the rewards may have changed elsewhere (another tab, the storefront): show what is true now.
    if (answer.reason === "insufficient_points" || answer.reason === "unknown_reward" || answer.reason === "reward_inactive" || answer.reason === "replayed") void load();
  }

  return (
    <s-page heading={t("page.title")} subheading={t("page.subtitle")}>
      <s-stack direction="block" gap="large">
        {outcome ? <OutcomeBanner outcome={outcome} summary={summary} i18n={i18n} onDismiss={() => setOutcome(null)} /> : null}
        {loadFailed ? (
          <s-banner tone="critical" heading={t("error.load")}>
            <s-button variant="secondary" onClick={() => void load()}>
              {t("error.retry")}
            </s-button>
          </s-banner>
        ) : null}
        {!summary && !loadFailed ? (
          <s-section>
            <s-skeleton-paragraph />
          </s-section>
        ) : null}
        {summary ? (
          <s-stack direction="block" gap="large">
            <BalanceSection summary={summary} i18n={i18n} />
            <RewardsSection summary={summary} i18n={i18n} redeeming={redeeming} onRedeem={(r) => void onRedeem(r)} />
            <CodesSection summary={summary} i18n={i18n} />
            <HistorySection summary={summary} i18n={i18n} />
          </s-stack>
        ) : null}
      </s-stack>
    </s-page>
  );
}

function OutcomeBanner({ outcome, summary, i18n, onDismiss }: { outcome: Outcome; summary: AccountSummary | null; i18n: I18nLike; onDismiss: () => void }) {
  const t = i18n.translate;
  if (outcome.kind === "refused") {
    const key = ERROR_REASONS.includes(outcome.reason) ? outcome.reason : "generic";
    return (
      <s-banner tone="critical" heading={t("error.heading")} dismissible onDismiss={onDismiss}>
        <s-text>{t(`error.${key}`, { seconds: outcome.seconds ?? 60 })}</s-text>
      </s-banner>
    );
  }
  const date = summary ? endDate(i18n, outcome, summary) : "";
  return (
    <s-banner tone="success" heading={t("redeemed.heading", { code: outcome.codeText })} dismissible onDismiss={onDismiss}>
      <s-text>{outcome.ready ? t("redeemed.body", { date }) : t("redeemed.creating", { code: outcome.codeText })}</s-text>
    </s-banner>
  );
}

function BalanceSection({ summary, i18n }: { summary: AccountSummary; i18n: I18nLike }) {
  const t = i18n.translate;
  const next = summary.nextReward;
  return (
    <s-section heading={t("balance.heading")}>
      <s-stack direction="block" gap="small-200">
        <s-text color="subdued">{t("balance.available")}</s-text>
        <s-heading>{points(i18n, summary.balance)}</s-heading>
        {summary.pending > 0 ? <s-text color="subdued">{t("balance.pending", { count: summary.pending, points: i18n.formatNumber(summary.pending) })}</s-text> : null}
        {next ? (
          <s-stack direction="block" gap="small-300" paddingBlockStart="small">
            <s-progress
              value={Math.max(0, summary.balance)}
              max={Math.max(0, summary.balance) + next.pointsNeeded}
              accessibilityLabel={t("balance.nextReward", { count: next.pointsNeeded, points: i18n.formatNumber(next.pointsNeeded), reward: next.name })}
            />
            <s-text>{t("balance.nextReward", { count: next.pointsNeeded, points: i18n.formatNumber(next.pointsNeeded), reward: next.name })}</s-text>
          </s-stack>
        ) : summary.rewards.length > 0 ? (
          <s-text>{t("balance.allUnlocked")}</s-text>
        ) : null}
      </s-stack>
    </s-section>
  );
}

function RewardsSection({ summary, i18n, redeeming, onRedeem }: { summary: AccountSummary; i18n: I18nLike; redeeming: string | null; onRedeem: (reward: Reward) => void }) {
  const t = i18n.translate;
  return (
    <s-section heading={t("rewards.heading")}>
      {summary.rewards.length === 0 ? (
        <s-text color="subdued">{t("rewards.empty")}</s-text>
      ) : (
        <s-stack direction="block" gap="base">
          {summary.rewards.map((reward, index) => {
            const cost = t("rewards.cost", { count: reward.pointsCost, points: i18n.formatNumber(reward.pointsCost) });
            const affordable = summary.affordable.includes(reward.id);
            const missing = reward.pointsCost - summary.balance;
            const value = discountValue(i18n, reward, summary.currencyCode);
            return (
              <s-stack key={reward.id} direction="block" gap="base">
                {index > 0 ? <s-divider /> : null}
                <s-stack direction="inline" justifyContent="space-between" alignItems="center" gap="base">
                  <s-stack direction="block" gap="small-500">
                    <s-text type="strong">{reward.name}</s-text>
                    {/* "Free shipping · 300 points", unless the merchant's name already says what it gives. */}
                    <s-text color="subdued">{value === reward.name ? cost : `${value} · ${cost}`}</s-text>
                  </s-stack>
                  {affordable ? (
                    <s-button
                      variant="primary"
                      loading={redeeming === reward.id}
                      disabled={redeeming !== null && redeeming !== reward.id}
                      accessibilityLabel={t("rewards.redeemLabel", { reward: reward.name, cost })}
                      onClick={() => onRedeem(reward)}
                    >
                      {t("rewards.redeem")}
                    </s-button>
                  ) : (
                    <s-text color="subdued">{t("rewards.needMore", { count: missing, points: i18n.formatNumber(missing) })}</s-text>
                  )}
                </s-stack>
              </s-stack>
            );
          })}
        </s-stack>
      )}
    </s-section>
  );
}

function CodesSection({ summary, i18n }: { summary: AccountSummary; i18n: I18nLike }) {
  const t = i18n.translate;
  return (
    <s-section heading={t("codes.heading")}>
      {summary.activeCodes.length === 0 ? (
        <s-text color="subdued">{t("codes.empty")}</s-text>
      ) : (
        <s-stack direction="block" gap="base">
          {summary.activeCodes.map((code, index) => (
            <s-box key={code.code} border="base" borderRadius="base" padding="base">
              <s-stack direction="block" gap="small-200">
                <s-text color="subdued">{code.source === "welcome" ? t("codes.sourceWelcome") : code.source === "redemption" ? t("codes.sourceRedemption") : code.title}</s-text>
                <s-text type="strong">{discountValue(i18n, code, summary.currencyCode)}</s-text>
                <s-text type="emphasis">{code.code}</s-text>
                <s-text color="subdued">{minimumSpend(i18n, code, summary.currencyCode)}</s-text>
                <s-text color="subdued">{t("codes.validUntil", { date: endDate(i18n, code, summary) })}</s-text>
                <s-stack direction="inline" paddingBlockStart="small-200">
                  {/* Copy, the way Shopify's clipboard item documents it: a button that commands it. */}
                  <s-button variant="secondary" command="--copy" commandFor={`code-${index}`} accessibilityLabel={t("codes.copyLabel", { code: code.code })}>
                    {t("codes.copy")}
                  </s-button>
                  <s-clipboard-item id={`code-${index}`} text={code.code} onCopy={() => void shopify.toast.show(t("codes.copied"))} />
                </s-stack>
              </s-stack>
            </s-box>
          ))}
        </s-stack>
      )}
    </s-section>
  );
}

function HistorySection({ summary, i18n }: { summary: AccountSummary; i18n: I18nLike }) {
  const t = i18n.translate;
  return (
    <s-section heading={t("history.heading")}>
      {summary.history.length === 0 ? (
        <s-text color="subdued">{t("history.empty")}</s-text>
      ) : (
        <s-stack direction="block" gap="base">
          {summary.history.map((entry, index) => (
            <s-stack key={`${entry.at}-${index}`} direction="block" gap="base">
              {index > 0 ? <s-divider /> : null}
              <s-stack direction="inline" justifyContent="space-between" alignItems="center" gap="base">
                <s-stack direction="block" gap="small-500">
                  <s-text>{historyReason(i18n, entry)}</s-text>
                  <s-text color="subdued">{historyDate(i18n, entry, summary)}</s-text>
                </s-stack>
                <s-text type="strong" tone={entry.points > 0 ? "success" : "auto"}>
                  {signedPoints(i18n, entry.points)}
                </s-text>
              </s-stack>
            </s-stack>
          ))}
        </s-stack>
      )}
    </s-section>
  );
}
