// Prop validation shared by the constructs: one message shape that names the construct and the offending prop.

/**
 * Returns `value` when it is an integer from `min` to `max`; otherwise throws
 * `<owner>: <prop> must be an integer from <min> to <max> (got <value>)` ("a positive integer" when min is 1 and
 * there is no max).
 */
export function requireInteger(owner: string, prop: string, value: number, min: number, max?: number): number {
  if (Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return value;
  const range = max !== undefined ? `an integer from ${min} to ${max}` : min === 1 ? "a positive integer" : `an integer of at least ${min}`;
  throw new Error(`${owner}: ${prop} must be ${range} (got ${value})`);
}
