import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { appUninstalled } from "../features/shops/webhooks.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, appUninstalled);
