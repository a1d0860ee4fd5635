/** The fields of `value` among `keys` that are defined: optional inputs stay absent, never `undefined`. */
export function definedFields<T extends object, K extends keyof T>(value: T, keys: K[]): { [P in K]?: Exclude<T[P], undefined> } {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]])) as { [P in K]?: Exclude<T[P], undefined> };
}
