// The download of one stored data-request export (JSON, as an attachment). A resource route: the
// Privacy page fetches it with the session token (App Bridge adds it to same-origin fetches) and saves
// the file. Scoped to the session's shop: another shop's export id is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminContext, notFound } from "../admin/context.server";
import { exportDownload } from "../admin/privacy.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const download = await exportDownload(shop.id, params.id ?? "");
  if (!download) throw notFound("Export");
  return new Response(download.body, {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${download.filename}"`,
      // Personal data: never kept by a browser or proxy cache.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
