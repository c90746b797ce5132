/** @jsxImportSource preact */
// The customer's points on the Profile page (target customer-account.profile.block.render), with a
// link to the Rewards page, as in Shopify's loyalty tutorial for customer accounts.
// https://shopify.dev/docs/apps/build/customer-accounts/inline-extensions/build-profile
// The link uses the extension: protocol with the page's handle (Navigation API, custom protocols).
// https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/navigation-api
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
// The Rewards page's backend client: one definition of the calls and the answer's type.
import { fetchAccount, type AccountSummary } from "../../loyalty-rewards-page/src/account-api";

export default async () => {
  render(<ProfileBlock />, document.body);
};

export const REWARDS_PAGE_URL = "extension:loyalty-rewards-page/";

function ProfileBlock() {
  const { i18n } = shopify;
  const t = (key: string, options?: Record<string, string | number>) => i18n.translate(key, options);
  const [summary, setSummary] = useState<AccountSummary | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    fetchAccount(shopify).then(setSummary, () => setFailed(true));
  }, []);

  const count = (n: number) => ({ count: n, points: i18n.formatNumber(n) });
  return (
    <s-section heading={t("heading")}>
      {failed ? (
        <s-text color="subdued">{t("error")}</s-text>
      ) : !summary ? (
        <s-skeleton-paragraph />
      ) : (
        <s-stack direction="block" gap="base">
          <s-stack direction="block" gap="small-500">
            <s-text color="subdued">{t("balance")}</s-text>
            <s-stack direction="inline" gap="small-200" alignItems="center">
              <s-text type="strong">{t("points", count(summary.balance))}</s-text>
              {summary.pending > 0 ? <s-text color="subdued">{t("pending", count(summary.pending))}</s-text> : null}
            </s-stack>
          </s-stack>
          {summary.activeCodes.length > 0 ? <s-text>{t("codes", { count: summary.activeCodes.length })}</s-text> : null}
          {summary.nextReward ? <s-text color="subdued">{t("nextReward", { ...count(summary.nextReward.pointsNeeded), reward: summary.nextReward.name })}</s-text> : null}
          <s-link href={REWARDS_PAGE_URL}>{t("view")}</s-link>
        </s-stack>
      )}
    </s-section>
  );
}
