import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { refundsCreate } from "../features/orders/webhooks.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, refundsCreate);
