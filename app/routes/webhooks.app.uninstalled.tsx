import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { appUninstalled } from "../webhooks/app-lifecycle.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, appUninstalled);
