// Shopify global ids (GIDs), e.g. gid://shopify/Order/450789469.

/** The numeric id of a GID, e.g. gid://shopify/Order/450789469 → "450789469"; null when there is none. */
export function gidNumber(gid: string | null | undefined): string | null {
  if (!gid) return null;
  const match = /\/(\d+)$/.exec(gid);
  return match ? (match[1] ?? null) : null;
}
