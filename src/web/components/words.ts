/**
 * Numbers in words staff read: `count(1, "finding")` is "1 finding", `count(3, "finding")` "3 findings", with the
 * thousands grouped ("8,184 rows").
 */
export const plural = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);
export const count = (n: number, one: string, many?: string): string =>
  `${n.toLocaleString("en")} ${plural(n, one, many)}`;
