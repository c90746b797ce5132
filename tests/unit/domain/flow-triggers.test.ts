// The trigger declarations (app/domain/flow-triggers.ts) and the extensions Shopify reads
// (extensions/flow-*/shopify.extension.toml) say the same, within the rules Shopify's CLI applies to
// trigger and action extensions; the payload builders produce what the declarations accept.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { parse } from "smol-toml";
import {
  BALANCE_CHANGED,
  FLOW_TRIGGERS,
  FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES,
  POINTS_EARNED,
  REWARD_CODE_ISSUED,
  balanceChangedPayload,
  payloadSchemaOf,
  pointsEarnedPayload,
  rewardCodeIssuedPayload,
} from "../../../app/domain/flow-triggers";
import { flowPayloadProblems, readFlowTriggerExtensions } from "../../../dev/shopify-admin-fake/resolvers/flow";

// Shopify CLI 3.92.1, services/flow/constants.js: the field types a trigger may declare.
const TRIGGER_FIELD_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal", "customer_reference", "order_reference", "product_reference", "company_reference", "company_contact_reference"];

type Toml = { extensions: Array<Record<string, unknown>>; settings?: { fields?: Array<Record<string, unknown>> } };
const tomls = readdirSync("extensions")
  .filter((d) => d.startsWith("flow-") && existsSync(`extensions/${d}/shopify.extension.toml`))
  .map((d) => ({ dir: d, toml: parse(readFileSync(`extensions/${d}/shopify.extension.toml`, "utf8")) as Toml }));

describe("Flow trigger extensions", () => {
  it("there is one trigger extension per declaration, with its handle, name and fields in order", () => {
    const triggers = tomls.filter((t) => t.toml.extensions[0]!.type === "flow_trigger");
    expect(triggers.map((t) => t.toml.extensions[0]!.handle).sort()).toEqual(FLOW_TRIGGERS.map((t) => t.handle).sort());
    for (const declaration of FLOW_TRIGGERS) {
      const { toml } = triggers.find((t) => t.toml.extensions[0]!.handle === declaration.handle)!;
      expect(toml.extensions[0]).toMatchObject({ name: declaration.title, description: declaration.description });
      expect(toml.settings?.fields).toEqual(declaration.fields.map((f) => ({ ...f })));
    }
  });

  it("handles, field types and keys follow Shopify's rules for triggers", () => {
    for (const t of FLOW_TRIGGERS) {
      expect(t.handle).toMatch(/^[a-z0-9-]{1,30}$/);
      for (const f of t.fields) {
        expect(TRIGGER_FIELD_TYPES).toContain(f.type);
        if (f.type.endsWith("_reference")) expect("key" in f).toBe(false);
        else expect((f as { key: string }).key).toMatch(/^[a-zA-Z\s]+$/);
      }
    }
  });

  it("the action and the lifecycle callback are declared as the CLI writes them", () => {
    const action = tomls.find((t) => t.toml.extensions[0]!.type === "flow_action")!.toml;
    expect(action.extensions[0]).toMatchObject({ handle: "loyalty-adjust-points", runtime_url: expect.stringMatching(/^https:\/\//) });
    expect(action.settings?.fields?.map((f) => [f.type, f.key ?? null, f.required])).toEqual([
      ["customer_reference", null, true],
      ["number_integer", "points", true],
      ["single_line_text_field", "reason", true],
    ]);
    const lifecycle = tomls.find((t) => t.toml.extensions[0]!.type === "flow_trigger_lifecycle_callback")!.toml;
    expect(lifecycle.extensions[0]).toMatchObject({ url: expect.stringMatching(/^https:\/\/.*\/flow\/lifecycle$/) });
  });
});

describe("trigger payloads", () => {
  const at = new Date("2026-12-05T10:00:00.000Z");
  const built = [
    [
      POINTS_EARNED,
      pointsEarnedPayload({
        customerGid: "gid://shopify/Customer/5",
        orderGid: "gid://shopify/Order/77",
        orderName: "#1001",
        points: 40,
        pending: true,
        availableAt: at,
        newBalance: 10,
        newPending: 40,
        reason: "Points earned on an order",
      }),
    ],
    [BALANCE_CHANGED, balanceChangedPayload({ customerGid: "gid://shopify/Customer/5", change: -500, newBalance: -20, newPending: 0, reason: "Taken back after a refund:\nline" })],
    [
      REWARD_CODE_ISSUED,
      rewardCodeIssuedPayload({
        customerGid: "gid://shopify/Customer/5",
        code: "WELCOME-ABCDEFGH",
        reward: "Thank you",
        discountType: "free_shipping",
        value: "0",
        minSubtotal: "20.00",
        endsAt: at,
        source: "welcome",
        pointsSpent: 0,
      }),
    ],
  ] as const;

  it("each builder's payload is accepted by the fake's reading of the extension toml, as Flow would check it", () => {
    const extensions = readFlowTriggerExtensions("extensions");
    for (const [declaration, payload] of built) {
      expect(
        flowPayloadProblems(
          extensions.find((e) => e.handle === declaration.handle)!,
          payload,
        ),
      ).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES);
    }
    expect(built[1][1].Reason).toBe("Taken back after a refund: line");
  });

  it("a payload missing a field, with an extra one, or of the wrong type is refused by the schema and by the fake", () => {
    const extension = readFlowTriggerExtensions("extensions").find((e) => e.handle === BALANCE_CHANGED.handle)!;
    const good = built[1][1];
    const { Reason: _dropped, ...missing } = good;
    for (const bad of [missing, { ...good, Extra: "x" }, { ...good, Change: "ten" }, { ...good, customer_id: "gid://shopify/Customer/5" }]) {
      expect(payloadSchemaOf(BALANCE_CHANGED).safeParse(bad).success).toBe(false);
      expect(flowPayloadProblems(extension, bad)).not.toEqual([]);
    }
    expect(flowPayloadProblems(extension, { ...good, Reason: "x".repeat(60_000) })).toEqual([expect.stringContaining("over the 50000-byte limit")]);
  });
});
