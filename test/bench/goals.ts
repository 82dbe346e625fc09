/**
 * What issue 16 asks of a row ("light and quick on a Raspberry Pi"), checked against the figures of
 * the same run, so the table says itself which goals are met and which are not.
 */
export interface Goal {
  /** cellgate's value at most this (in the row's unit). */
  valueAtMost?: number;
  /** cellgate / baseline at most this. */
  ratioAtMost?: number;
  /** cellgate / baseline at least this (rates, where higher is better). */
  ratioAtLeast?: number;
}

/** "ratio ≤ 1.5: met", "≤ 10 and ratio ≤ 2: NOT met", or "" for a row without a goal. */
export function verdict(goal: Goal | undefined, ours: number, theirs: number): string {
  if (goal === undefined) return "";
  const ratio = theirs > 0 ? ours / theirs : Number.NaN;
  const checks: Array<[string, boolean]> = [];
  if (goal.valueAtMost !== undefined) checks.push([`≤ ${goal.valueAtMost}`, ours <= goal.valueAtMost]);
  if (goal.ratioAtMost !== undefined) checks.push([`ratio ≤ ${goal.ratioAtMost}`, ratio <= goal.ratioAtMost]);
  if (goal.ratioAtLeast !== undefined) checks.push([`ratio ≥ ${goal.ratioAtLeast}`, ratio >= goal.ratioAtLeast]);
  return `${checks.map(([what]) => what).join(" and ")}: ${checks.every(([, ok]) => ok) ? "met" : "NOT met"}`;
}
