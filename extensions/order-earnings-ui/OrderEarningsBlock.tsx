/** @jsxImportSource preact */
// What an order earns, as the thank-you and order-status blocks show it, in Polaris web components
// (s-*; https://shopify.dev/docs/api/checkout-ui-extensions/latest/polaris-web-components). Strings come
// from each extension's locales/ through shopify.i18n; the caller passes what differs per surface.
import type { EarningsState, OrderEarnings } from "./earnings-client";

export interface BlockI18n {
  translate: (key: string, options?: Record<string, string | number>) => string;
  formatNumber: (value: number) => string;
  formatCurrency: (value: number, options: { currency: string }) => string;
  formatDate: (date: Date, options: Intl.DateTimeFormatOptions) => string;
}

export interface OrderEarningsBlockProps {
  state: EarningsState;
  i18n: BlockI18n;
  /** Order status pages can be seen before signing in fully: offer to sign in instead of figures. */
  signIn?: { required: boolean; start: () => void };
}

const SKIP_REASONS = ["below_minimum", "program_paused", "excluded_tag", "test_order", "zero_base"];

function usePoints(i18n: BlockI18n) {
  return (count: number) => i18n.translate("points", { count, formatted: i18n.formatNumber(count) });
}

function longDate(i18n: BlockI18n, iso: string): string {
  return i18n.formatDate(new Date(iso), { year: "numeric", month: "long", day: "numeric" });
}

function WelcomeBanner({ welcome, currency, i18n }: { welcome: NonNullable<OrderEarnings["welcome"]>; currency: string; i18n: BlockI18n }) {
  const points = usePoints(i18n);
  const { translate: t } = i18n;
  const code = welcome.code;
  return (
    <s-banner tone="success" heading={t("welcome.heading")}>
      <s-stack gap="small-200">
        {welcome.bonusPoints > 0 ? <s-text type="strong">{t("welcome.bonus", { points: points(welcome.bonusPoints) })}</s-text> : null}
        {code ? (
          <s-stack gap="small-200">
            {code.code ? (
              <s-stack direction="inline" gap="small-200" alignItems="center">
                <s-text>{t("welcome.codeIntro")}</s-text>
                <s-text type="strong">{code.code}</s-text>
                <s-clipboard-item id="welcome-code" text={code.code}></s-clipboard-item>
                <s-button variant="secondary" commandFor="welcome-code" command="--copy">
                  {t("welcome.copy")}
                </s-button>
              </s-stack>
            ) : (
              <s-text>{t("welcome.codeComing")}</s-text>
            )}
            <s-text>
              {code.discountType === "percentage"
                ? t("welcome.offPercent", { value: i18n.formatNumber(Number(code.value)) })
                : code.discountType === "fixed_amount"
                  ? t("welcome.offAmount", { value: i18n.formatCurrency(Number(code.value), { currency }) })
                  : t("welcome.offShipping")}{" "}
              {code.minSubtotal ? t("welcome.minimum", { amount: i18n.formatCurrency(Number(code.minSubtotal), { currency }) }) + " " : ""}
              {t("welcome.ends", { date: longDate(i18n, code.endsAt) })}
            </s-text>
          </s-stack>
        ) : null}
      </s-stack>
    </s-banner>
  );
}

function Balance({ balance, projected, i18n }: { balance: NonNullable<OrderEarnings["balance"]>; projected: boolean; i18n: BlockI18n }) {
  const points = usePoints(i18n);
  const { translate: t } = i18n;
  const next = balance.nextReward;
  return (
    <s-stack gap="small-200">
      <s-text>
        {t(projected ? "balance.availableAfter" : "balance.available", { points: points(balance.available) })}
        {balance.pending > 0 ? ` · ${t("balance.pending", { points: points(balance.pending) })}` : ""}
      </s-text>
      {next ? (
        <s-stack gap="small-300">
          <s-text color="subdued">{t("balance.next", { points: points(next.pointsNeeded), reward: next.name })}</s-text>
          <s-progress value={Math.max(0, next.pointsCost - next.pointsNeeded)} max={next.pointsCost} accessibilityLabel={t("balance.progress")}></s-progress>
        </s-stack>
      ) : null}
    </s-stack>
  );
}

function OrderLine({ earnings, final, i18n }: { earnings: OrderEarnings; final: boolean; i18n: BlockI18n }) {
  const points = usePoints(i18n);
  const { translate: t } = i18n;
  const order = earnings.order;
  if (!order) return <s-text>{t("order.waiting")}</s-text>;
  if (order.state === "none") {
    const reason = order.skipReason && SKIP_REASONS.includes(order.skipReason) ? order.skipReason : "other";
    return <s-text>{t(`order.none.${reason}`)}</s-text>;
  }
  const preview = earnings.status === "preview";
  return (
    <s-stack gap="small-200">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-heading>{t("order.earns", { points: points(order.points) })}</s-heading>
        <s-badge tone={order.state === "pending" || preview ? "neutral" : "auto"}>{preview ? t("badge.estimate") : order.state === "pending" ? t("badge.pending") : t("badge.available")}</s-badge>
      </s-stack>
      {order.bonusPoints > 0 ? <s-text color="subdued">{t("order.bonus", { points: points(order.bonusPoints) })}</s-text> : null}
      {order.state === "pending" && order.availableAt ? (
        <s-text color="subdued">{t("order.pendingUntil", { date: longDate(i18n, order.availableAt) })}</s-text>
      ) : earnings.signedIn && !preview ? (
        <s-text color="subdued">{t("order.inBalance")}</s-text>
      ) : null}
      {preview && earnings.signedIn ? <s-text color="subdued">{final ? t("order.previewFinal") : t("order.previewConfirming")}</s-text> : null}
    </s-stack>
  );
}

export function OrderEarningsBlock({ state, i18n, signIn }: OrderEarningsBlockProps) {
  const { translate: t } = i18n;
  const points = usePoints(i18n);
  if (signIn?.required) {
    return (
      <s-section heading={t("heading")}>
        <s-stack gap="small-200">
          <s-text>{t("signIn.body")}</s-text>
          <s-button variant="secondary" onClick={signIn.start}>
            {t("signIn.action")}
          </s-button>
        </s-stack>
      </s-section>
    );
  }
  if (state.kind === "none") return null;
  if (state.kind === "loading") {
    return (
      <s-section heading={t("heading")}>
        <s-skeleton-paragraph></s-skeleton-paragraph>
      </s-section>
    );
  }
  const { earnings, final } = state;
  if (!earnings.signedIn) {
    const would = earnings.order && earnings.order.state !== "none" ? earnings.order.points : 0;
    return (
      <s-section heading={t("heading")}>
        <s-banner tone="info" heading={would > 0 ? t("guest.heading", { points: points(would) }) : t("guest.headingJoin")}>
          <s-text>{t("guest.body")}</s-text>
        </s-banner>
      </s-section>
    );
  }
  return (
    <s-section heading={t("heading")}>
      <s-stack gap="base">
        <OrderLine earnings={earnings} final={final} i18n={i18n} />
        {earnings.welcome ? <WelcomeBanner welcome={earnings.welcome} currency={earnings.currency} i18n={i18n} /> : null}
        {earnings.balance ? (
          <>
            <s-divider></s-divider>
            <Balance balance={earnings.balance} projected={earnings.status === "preview"} i18n={i18n} />
          </>
        ) : null}
      </s-stack>
    </s-section>
  );
}
