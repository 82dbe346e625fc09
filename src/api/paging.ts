import type { ApiHttp } from "./http.js";
import type { Params } from "./form.js";
import { invalid, object, type Json } from "./records.js";

/** More pages than any account has: 1,000 pages of 50 SIMs. */
const MAX_PAGES = 1000;

export interface PageOptions {
  /** Stop after this many records (all when absent). */
  limit?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * Every record of a list, page after page: `meta.next_page_url` is followed as an opaque URL
 * (it carries a PageToken), the records are under `meta.key` (falling back to `key`).
 */
export async function* paginate<T>(
  http: ApiHttp,
  path: string,
  query: Params,
  key: string,
  parse: (j: Json) => T,
  o: PageOptions = {},
): AsyncGenerator<T> {
  let next: string | null = null;
  let count = 0;
  let first = true;
  // A page that links to itself or an earlier page (a broken API, a proxy's cache) must end,
  // not collect the same records until memory runs out.
  const followed = new Set<string>();
  while (first || next !== null) {
    if (next !== null && (followed.has(next) || followed.size >= MAX_PAGES))
      throw invalid(
        `list ${path}`,
        { next_page_url: next },
        followed.has(next) ? "the pages link back to a page already read" : `more than ${MAX_PAGES} pages`,
      );
    if (next !== null) followed.add(next);
    const pageSize = o.limit !== undefined ? Math.min(o.pageSize ?? 50, Math.max(1, o.limit - count)) : o.pageSize;
    const res = first
      ? await http.request("GET", path, {
          query: { ...query, ...(pageSize ? { PageSize: pageSize } : {}) },
          ...(o.signal ? { signal: o.signal } : {}),
        })
      : await http.request("GET", next!, o.signal ? { signal: o.signal } : {});
    first = false;
    const body = object(res.body, `list ${path}`);
    const meta = object(body.meta, `list ${path} meta`);
    const items = body[typeof meta.key === "string" ? meta.key : key];
    if (!Array.isArray(items)) throw invalid(`list ${path}`, body, `no ${key} array`);
    for (const item of items) {
      yield parse(object(item, key));
      if (o.limit !== undefined && ++count >= o.limit) return;
    }
    next = typeof meta.next_page_url === "string" && meta.next_page_url !== "" ? meta.next_page_url : null;
  }
}

export async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}
