import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "../../shopify.server";
import styles from "./styles.module.css";

export const loader = ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Opened from Shopify admin: go to the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { showForm: Boolean(login) };
};

export default function App() {
  const { showForm } = useLoaderData<typeof loader>();
  return (
    <div className={styles.index}>
      <div className={styles.content}>
        <h1 className={styles.heading}>Loyalty &amp; welcome rewards for Shopify</h1>
        <p className={styles.text}>Points for every order, double-points campaigns, a welcome bonus and thank-you codes.</p>
        {showForm && (
          <Form className={styles.form} method="post" action="/auth/login">
            <label className={styles.label}>
              <span>Shop domain</span>
              <input className={styles.input} type="text" name="shop" />
              <span>e.g: my-shop-domain.myshopify.com</span>
            </label>
            <button className={styles.button} type="submit">
              Log in
            </button>
          </Form>
        )}
        <ul className={styles.list}>
          <li>
            <strong>Points that add up.</strong> Clear rules for discounts, tax, shipping and refunds, kept in an append-only ledger.
          </li>
          <li>
            <strong>Campaigns.</strong> Double points in a time window, in your shop&apos;s time zone.
          </li>
          <li>
            <strong>Welcome.</strong> A first-order bonus and a single-use thank-you code.
          </li>
        </ul>
      </div>
    </div>
  );
}
