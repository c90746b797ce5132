// Customers: the `customer` root field (read_customers). Customers are seeded by tests, not created here.
import { GraphQLError } from "graphql";
import type { Nodes } from "../nodes";
import { parseShopifyGid, requireScope, type ResolverGroup } from "./support";

export function customerResolvers(nodes: Nodes): ResolverGroup {
  return {
    query: {
      customer: (args, ctx) => {
        requireScope(ctx, "read_customers", "customer");
        const gid = parseShopifyGid(args.id, "Customer");
        if (!gid.ok) throw new GraphQLError(`Invalid global id '${String(args.id)}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
        const c = ctx.shop.customers.get(gid.id);
        return c ? nodes.customerNode(ctx.shop, c) : null;
      },
    },
  };
}
