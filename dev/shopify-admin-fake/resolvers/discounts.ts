// Discount codes: the DiscountCodeNode objects and the root fields that read and create them
// (codeDiscountNodeByCode, codeDiscountNode, discountCodeBasicCreate, discountCodeFreeShippingCreate),
// with the input checks and user errors Shopify answers.
import type { Nodes } from "../nodes";
import { findDiscountByCode, type FakeStore, type ShopState } from "../store";
import type { FakeDiscount, FakeDiscountValue } from "../types";
import { DECIMAL, asRecord, connection, notImplemented, parseShopifyGid, requireScope, userErrorNode, type FakeContext, type Node, type ResolverGroup, type UserError } from "./support";

export function discountResolvers(store: FakeStore, nodes: Nodes): ResolverGroup {
  const { now, iso, nextId } = store;
  const { customerNode } = nodes;

  function discountNode(shop: ShopState, d: FakeDiscount): Node {
    return { __typename: "DiscountCodeNode", id: d.id, codeDiscount: () => codeDiscountObject(shop, d) };
  }

  function codeDiscountObject(shop: ShopState, d: FakeDiscount): Node {
    const t = now();
    const status = Date.parse(d.startsAt) > t ? "SCHEDULED" : d.endsAt !== null && Date.parse(d.endsAt) <= t ? "EXPIRED" : "ACTIVE";
    const money = (amount: string) => ({ __typename: "MoneyV2", amount, currencyCode: shop.currencyCode });
    const common: Node = {
      __typename: d.typename,
      title: d.title,
      status,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      usageLimit: d.usageLimit,
      appliesOncePerCustomer: d.appliesOncePerCustomer,
      asyncUsageCount: 0,
      codesCount: { __typename: "Count", count: 1, precision: "EXACT" },
      codes: (args: Record<string, unknown>) =>
        connection([d], args, (x) => ({
          __typename: "DiscountRedeemCode",
          id: x.codeId,
          code: x.code,
          asyncUsageCount: 0,
        })),
      combinesWith: { __typename: "DiscountCombinesWith", ...d.combinesWith },
      context: () =>
        d.customers === "all"
          ? { __typename: "DiscountBuyerSelectionAll", all: "ALL" }
          : {
              __typename: "DiscountCustomers",
              customers: d.customers.flatMap((id) => {
                const c = shop.customers.get(id);
                return c ? [customerNode(shop, c)] : [];
              }),
            },
      minimumRequirement: d.minimumSubtotal === null ? null : { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: money(d.minimumSubtotal) },
    };
    if (d.typename === "DiscountCodeBasic") {
      const value =
        d.value.kind === "percentage"
          ? { __typename: "DiscountPercentage", percentage: d.value.percentage }
          : d.value.kind === "fixed_amount"
            ? { __typename: "DiscountAmount", amount: money(d.value.amount), appliesOnEachItem: d.value.appliesOnEachItem }
            : null;
      common.customerGets = {
        __typename: "DiscountCustomerGets",
        value,
        items: { __typename: "AllDiscountItems", allItems: true },
        appliesOnOneTimePurchase: true,
        appliesOnSubscription: false,
      };
      common.discountClasses = ["ORDER"];
    } else {
      common.destinationSelection = { __typename: "DiscountCountryAll", allCountries: true };
      common.discountClasses = ["SHIPPING"];
    }
    return common;
  }

  function createDiscount(ctx: FakeContext, argName: "basicCodeDiscount" | "freeShippingCodeDiscount", input: Record<string, unknown>): Node {
    const mutation = argName === "basicCodeDiscount" ? "discountCodeBasicCreate" : "discountCodeFreeShippingCreate";
    requireScope(ctx, "write_discounts", mutation);
    const shop = ctx.shop;
    const errors: UserError[] = [];
    const err = (code: string, path: string[], message: string) => errors.push({ code, field: [argName, ...path], message });

    const title = typeof input.title === "string" ? input.title : "";
    if (title.trim() === "") err("BLANK", ["title"], "Title can't be blank");
    const code = typeof input.code === "string" ? input.code : "";
    if (code.trim() === "") err("BLANK", ["code"], "Code can't be blank");
    else if (code.length > 255) err("TOO_LONG", ["code"], "Code is too long (maximum is 255 characters)");
    else if (/[\r\n]/.test(code)) err("INVALID", ["code"], "Code can't contain newline characters.");
    else if (findDiscountByCode(shop, code)) err("TAKEN", ["code"], "Code must be unique. Please try a different code.");

    const startsAt = typeof input.startsAt === "string" ? input.startsAt : null;
    const endsAt = typeof input.endsAt === "string" ? input.endsAt : null;
    if (startsAt === null) err("BLANK", ["startsAt"], "Starts at can't be blank");
    else if (Number.isNaN(Date.parse(startsAt))) err("INVALID", ["startsAt"], "Starts at is invalid");
    if (endsAt !== null && Number.isNaN(Date.parse(endsAt))) err("INVALID", ["endsAt"], "Ends at is invalid");
    if (startsAt !== null && endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) {
      err("END_DATE_BEFORE_START_DATE", ["endsAt"], "Ends at needs to be after starts_at");
    }

    // Buyers: `context` (since 2025-10) or the deprecated `customerSelection`.
    let customers: string[] | "all" = [];
    const hasContext = input.context !== undefined && input.context !== null;
    const hasSelection = input.customerSelection !== undefined && input.customerSelection !== null;
    if (hasSelection) ctx.deprecations.push(`${argName === "basicCodeDiscount" ? "DiscountCodeBasicInput" : "DiscountCodeFreeShippingInput"}.customerSelection`);
    if (hasContext && hasSelection) {
      err("CONFLICT", ["context"], "Only one of context or customerSelection can be provided.");
    } else if (!hasContext && !hasSelection) {
      err("BLANK", ["context"], "Context can't be blank");
    } else {
      const which = hasContext ? "context" : "customerSelection";
      const sel = asRecord(input[which]);
      if (sel.customerSegments !== undefined && sel.customerSegments !== null) {
        throw notImplemented(`${which}.customerSegments`);
      }
      if (sel.all === true || sel.all === "ALL") customers = "all";
      else if (sel.customers !== undefined && sel.customers !== null) {
        const add = asRecord(sel.customers).add;
        const ids = Array.isArray(add) ? add.map(String) : [];
        if (ids.length === 0) err("BLANK", [which, "customers", "add"], "Customers can't be blank");
        ids.forEach((id, i) => {
          if (!parseShopifyGid(id, "Customer").ok || !shop.customers.has(id)) {
            err("INVALID", [which, "customers", "add", String(i)], `Customer ${id} does not exist`);
          }
        });
        customers = ids;
      } else {
        err("BLANK", [which], "Context can't be blank");
      }
    }

    let usageLimit: number | null = null;
    if (typeof input.usageLimit === "number") {
      if (input.usageLimit < 1) err("GREATER_THAN", ["usageLimit"], "Usage limit must be greater than 0");
      usageLimit = input.usageLimit;
    }

    let minimumSubtotal: string | null = null;
    if (input.minimumRequirement !== undefined && input.minimumRequirement !== null) {
      const req = asRecord(input.minimumRequirement);
      const hasSubtotal = req.subtotal !== undefined && req.subtotal !== null;
      const hasQuantity = req.quantity !== undefined && req.quantity !== null;
      if (hasSubtotal && hasQuantity) {
        err("MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT", ["minimumRequirement"], "Minimum subtotal and quantity can't both be present");
      } else if (hasQuantity) {
        throw notImplemented("minimumRequirement.quantity");
      } else if (hasSubtotal) {
        const amount = asRecord(req.subtotal).greaterThanOrEqualToSubtotal;
        if (typeof amount !== "string" || !DECIMAL.test(amount) || Number(amount) < 0) {
          err("INVALID", ["minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"], "Minimum subtotal is invalid");
        } else minimumSubtotal = amount;
      }
    }

    let value: FakeDiscountValue = { kind: "free_shipping" };
    if (argName === "basicCodeDiscount") {
      const gets = input.customerGets;
      if (gets === undefined || gets === null) {
        err("BLANK", ["customerGets"], "Customer gets can't be blank");
      } else {
        const g = asRecord(gets);
        const items = g.items === undefined || g.items === null ? null : asRecord(g.items);
        if (!items) err("BLANK", ["customerGets", "items"], "Items can't be blank");
        else if (items.products != null || items.collections != null) throw notImplemented("customerGets.items.products/collections");
        else if (items.all !== true) err("BLANK", ["customerGets", "items"], "Items can't be blank");
        const v = g.value === undefined || g.value === null ? null : asRecord(g.value);
        const given = v ? ["percentage", "discountAmount", "discountOnQuantity"].filter((k) => v[k] !== undefined && v[k] !== null) : [];
        if (!v || given.length === 0) err("BLANK", ["customerGets", "value"], "Value can't be blank");
        else if (given.length > 1) err("INVALID", ["customerGets", "value"], "Only one value type can be provided");
        else if (given[0] === "discountOnQuantity") throw notImplemented("customerGets.value.discountOnQuantity");
        else if (given[0] === "percentage") {
          const p = Number(v.percentage);
          if (!(p > 0 && p <= 1)) err("VALUE_OUTSIDE_RANGE", ["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0");
          value = { kind: "percentage", percentage: p };
        } else {
          const amountInput = asRecord(v.discountAmount);
          const amount = amountInput.amount;
          if (typeof amount !== "string" && typeof amount !== "number") {
            err("BLANK", ["customerGets", "value", "discountAmount", "amount"], "Amount can't be blank");
          } else if (!DECIMAL.test(String(amount)) || !(Number(amount) > 0)) {
            err("GREATER_THAN", ["customerGets", "value", "discountAmount", "amount"], "Amount must be greater than 0");
          }
          value = { kind: "fixed_amount", amount: String(amount), appliesOnEachItem: amountInput.appliesOnEachItem === true };
        }
      }
    } else if (input.destination !== undefined && input.destination !== null) {
      const dest = asRecord(input.destination);
      if (dest.countries !== undefined && dest.countries !== null) throw notImplemented("destination.countries");
    }

    if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors.map(userErrorNode("DiscountUserError")) };

    const combines = asRecord(input.combinesWith);
    const t = iso();
    const discount: FakeDiscount = {
      id: nextId("DiscountCodeNode"),
      typename: argName === "basicCodeDiscount" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping",
      title,
      code,
      codeId: nextId("DiscountRedeemCode"),
      startsAt: new Date(startsAt as string).toISOString(),
      endsAt: endsAt === null ? null : new Date(endsAt).toISOString(),
      usageLimit,
      appliesOncePerCustomer: input.appliesOncePerCustomer === true,
      customers,
      combinesWith: {
        orderDiscounts: combines.orderDiscounts === true,
        productDiscounts: combines.productDiscounts === true,
        shippingDiscounts: combines.shippingDiscounts === true,
      },
      value,
      minimumSubtotal,
      createdAt: t,
      updatedAt: t,
      input: structuredClone({ ...input }),
    };
    shop.discounts.set(discount.id, discount);
    return { codeDiscountNode: discountNode(shop, discount), userErrors: [] };
  }

  return {
    query: {
      codeDiscountNodeByCode: (args, ctx) => {
        requireScope(ctx, "read_discounts", "codeDiscountNodeByCode");
        const d = findDiscountByCode(ctx.shop, String(args.code));
        return d ? discountNode(ctx.shop, d) : null;
      },
      codeDiscountNode: (args, ctx) => {
        requireScope(ctx, "read_discounts", "codeDiscountNode");
        const d = ctx.shop.discounts.get(String(args.id));
        return d ? discountNode(ctx.shop, d) : null;
      },
    },
    mutation: {
      discountCodeBasicCreate: (args, ctx) => createDiscount(ctx, "basicCodeDiscount", asRecord(args.basicCodeDiscount)),
      discountCodeFreeShippingCreate: (args, ctx) => createDiscount(ctx, "freeShippingCodeDiscount", asRecord(args.freeShippingCodeDiscount)),
    },
  };
}
