import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { customersDataRequest } from "../webhooks/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, customersDataRequest);
