/** @jsxImportSource preact */
// customer-account.order-status.block.render: what this order earned. The page can be opened from an
// email link before the customer signs in fully (pre-authenticated): then the block offers to sign in
// (requireLogin) instead of asking the app, which needs a signed-in customer.
// Order API: https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/order-apis/order-api
// Authentication state / require login: https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/account-apis/authentication-state-api
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { OrderEarningsBlock } from "../../order-earnings-ui/OrderEarningsBlock";
import { followEarnings, type EarningsState } from "../../order-earnings-ui/earnings-client";

export default async () => {
  render(<OrderStatusBlock />, document.body);
};

const appUrl = (typeof process !== "undefined" ? process.env.APP_URL : undefined) ?? "";

function OrderStatusBlock() {
  const [state, setState] = useState<EarningsState>({ kind: "loading" });
  const orderId = shopify.order.value?.id;
  const signedIn = shopify.authenticationState.value === "fully_authenticated";
  useEffect(() => {
    if (!appUrl || !orderId || !signedIn) {
      setState({ kind: "none" });
      return;
    }
    return followEarnings({ appUrl, path: "/extension-api/order-status", token: () => shopify.sessionToken.get(), query: { orderId } }, setState);
  }, [orderId, signedIn]);
  return <OrderEarningsBlock state={state} i18n={shopify.i18n} signIn={{ required: !signedIn && Boolean(orderId), start: () => void shopify.requireLogin() }} />;
}
