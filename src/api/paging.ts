import type { ApiHttp } from "./http.js";
import type { Params } from "./form.js";
import { invalid, object, type Json } from "./records.js";

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
  while (first || next !== null) {
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
