import { describe, expect, it } from "vitest";
import { collect, paginate, type ApiHttp } from "../../src/api/index.js";

/** An API whose every page says the next one is itself (or the one before): found by the API-response fuzzer, as an out-of-memory crash. */
function looping(pages: string[]): { http: ApiHttp; asked: string[] } {
  const asked: string[] = [];
  const http = {
    request: (_m: string, path: string) => {
      asked.push(path);
      const i = asked.length % pages.length;
      return Promise.resolve({
        status: 200,
        body: { sims: [{ n: asked.length }], meta: { key: "sims", next_page_url: pages[i] } },
      });
    },
  } as unknown as ApiHttp;
  return { http, asked };
}

describe("pagination", () => {
  it.each([
    ["a page that links to itself", ["https://api/v1/Sims?Page=1"]],
    ["pages that link back to an earlier one", ["https://api/v1/Sims?Page=1", "https://api/v1/Sims?Page=2"]],
  ])("%s ends with CG_ERR_API_RESPONSE instead of collecting forever", async (_name, pages) => {
    const { http, asked } = looping(pages);
    await expect(collect(paginate(http, "/v1/Sims", {}, "sims", (j) => j))).rejects.toMatchObject({
      code: "CG_ERR_API_RESPONSE",
      message: expect.stringMatching(/link back to a page already read/) as string,
    });
    expect(asked.length).toBeLessThanOrEqual(pages.length + 1);
  });
});
