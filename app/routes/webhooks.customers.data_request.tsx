import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { customersDataRequest } from "../features/privacy/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, customersDataRequest);
