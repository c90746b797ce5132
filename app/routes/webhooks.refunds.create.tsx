import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { refundsCreate } from "../webhooks/orders.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, refundsCreate);
