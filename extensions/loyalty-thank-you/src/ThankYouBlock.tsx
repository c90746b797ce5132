/** @jsxImportSource preact */
// purchase.thank-you.block.render: what this order earns. At thank-you time orders/paid may not have
// been applied yet, so the block sends the checkout's own figures (lines, discounts, shipping, tax,
// total, codes, Shopify's isFirstOrder) and shows the app's preview until the applied figures exist.
// Order API: https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/checkout-apis/order-api
// Cart lines / cost / discounts: https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/checkout-apis/cart-lines-api
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { OrderEarningsBlock } from "../../order-earnings-ui/OrderEarningsBlock";
import { followEarnings, type EarningsState } from "../../order-earnings-ui/earnings-client";

export default async () => {
  render(<ThankYouBlock />, document.body);
};

const appUrl = (typeof process !== "undefined" ? process.env.APP_URL : undefined) ?? "";

/** The checkout's figures for the preview; amounts as the decimal strings the app validates. */
function checkoutFigures() {
  const amount = (value: number | undefined) => (value ?? 0).toFixed(2);
  const lines = shopify.lines.value;
  const codes = shopify.discountCodes.value.map((d) => d.code);
  const orderDiscount = shopify.discountAllocations.value.reduce((sum, d) => sum + d.discountedAmount.amount, 0);
  return {
    currency: shopify.cost.totalAmount.value.currencyCode,
    lines: lines.slice(0, 250).map((line) => ({
      productId: line.merchandise.type === "variant" ? line.merchandise.product.id : null,
      quantity: line.quantity,
      amount: amount(line.cost.totalAmount.amount),
    })),
    orderDiscount: amount(orderDiscount),
    shipping: amount(shopify.cost.totalShippingAmount.value?.amount),
    tax: amount(shopify.cost.totalTaxAmount.value?.amount),
    total: amount(shopify.cost.totalAmount.value.amount),
    discountCodes: codes.slice(0, 25),
    isFirstOrder: shopify.orderConfirmation.value.isFirstOrder,
  };
}

function ThankYouBlock() {
  const [state, setState] = useState<EarningsState>({ kind: "loading" });
  const orderId = shopify.orderConfirmation.value.order.id;
  useEffect(() => {
    if (!appUrl) {
      setState({ kind: "none" });
      return;
    }
    return followEarnings({ appUrl, path: "/extension-api/thank-you", token: () => shopify.sessionToken.get(), body: { orderId, checkout: checkoutFigures() } }, setState);
  }, [orderId]);
  return <OrderEarningsBlock state={state} i18n={shopify.i18n} />;
}
