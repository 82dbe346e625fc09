import { ApiError } from "./errors.js";

/**
 * The list envelope: `{<key>: [...], meta: {page, page_size, first_page_url, previous_page_url,
 * next_page_url, url, key}}`. PageSize 1..1000 (default 50); the next page's URL carries an
 * opaque PageToken, as the live API's does.
 */
export function page<T>(
  items: readonly T[],
  key: string,
  base: string,
  path: string,
  query: URLSearchParams,
  render: (item: T) => unknown = (item) => item,
): Record<string, unknown> {
  const size = intParam(query, "PageSize", 50, 1, 1000);
  const pageNo = intParam(query, "Page", 0, 0, 1_000_000);
  const token = query.get("PageToken");
  let offset = pageNo * size;
  if (token !== null) {
    const m = /^PA(\d+)$/.exec(Buffer.from(token, "base64url").toString());
    if (m === null) throw new ApiError(400, 20001, `Invalid PageToken: ${token}`);
    offset = Number(m[1]);
  }
  const slice = items.slice(offset, offset + size).map(render); // only the page is rendered: a fleet lists thousands
  const filters = new URLSearchParams(query);
  for (const k of ["PageSize", "Page", "PageToken"]) filters.delete(k);
  const url = (p: number, tok?: number) => {
    const q = new URLSearchParams(filters);
    q.set("PageSize", String(size));
    q.set("Page", String(p));
    if (tok !== undefined) q.set("PageToken", Buffer.from(`PA${tok}`).toString("base64url"));
    return `${base}${path}?${q.toString()}`;
  };
  const hasNext = offset + size < items.length;
  return {
    [key]: slice,
    meta: {
      page: pageNo,
      page_size: size,
      first_page_url: url(0),
      previous_page_url: pageNo > 0 ? url(pageNo - 1, Math.max(0, offset - size)) : null,
      next_page_url: hasNext ? url(pageNo + 1, offset + size) : null,
      url: url(pageNo, token !== null ? offset : undefined),
      key,
    },
  };
}

function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ApiError(400, 20001, `Invalid ${name}: ${v} (must be ${min} to ${max})`);
  return Number(v);
}
