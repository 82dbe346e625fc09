/**
 * A module's defaults written once: `withDefaults(options, DEFAULTS)` is the options' value for
 * each key of DEFAULTS, or the default where the option is left out or undefined (an optional
 * config key passed through as undefined must not erase a default, which a spread would).
 */
export function withDefaults<D extends Record<string, unknown>>(o: { readonly [K in keyof D]?: D[K] | undefined }, d: D): D {
  const out = { ...d };
  for (const k of Object.keys(d) as Array<keyof D>) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
