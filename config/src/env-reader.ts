// Typed access to the merged environment that records a problem instead of throwing, so that loadSettings can
// report every mistake at once. Variable names, aliases and static defaults come from the catalogue.
import type { SettingsProblem } from "./types";
import { variableSpec } from "./variables";

export const BOOLEAN_HELP = "use true or false (also accepted: 1/0, yes/no, on/off)";
/** Words read as true (case-insensitive) by every boolean setting. */
export const TRUE_WORDS: ReadonlySet<string> = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

export interface RawValue {
  readonly value: string;
  /** The name the value was found under (the current name or an older alias). */
  readonly from: string;
  readonly isDefault: boolean;
}

export class EnvReader {
  readonly problems: SettingsProblem[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  problem(variable: string, message: string): void {
    this.problems.push({ variable, message });
  }

  /** The user's value (name first, then aliases); "" counts as unset. Conflicting name/alias values are a problem
   * unless `firstWins` (AWS_REGION over AWS_DEFAULT_REGION, as the AWS SDKs do). */
  user(name: string, opts: { firstWins?: boolean } = {}): RawValue | undefined {
    const spec = variableSpec(name);
    const found: RawValue[] = [];
    for (const n of [spec.name, ...(spec.aliases ?? [])]) {
      const value = this.env[n]?.trim();
      if (value !== undefined && value !== "") found.push({ value, from: n, isDefault: false });
    }
    if (found.length > 1 && !opts.firstWins && found.some((f) => f.value !== found[0]!.value)) {
      this.problem(
        found.map((f) => f.from).join(" + "),
        `set to different values; ${found.slice(1).map((f) => f.from).join(", ")} is the older name of ${name}: keep only ${name}`,
      );
    }
    return found[0];
  }

  /** True when the variable is present but empty ("NAME=" in a .env file). */
  isExplicitlyEmpty(name: string): boolean {
    const spec = variableSpec(name);
    return [spec.name, ...(spec.aliases ?? [])].some((n) => this.env[n] !== undefined && this.env[n]!.trim() === "");
  }

  /** The user's value or the catalogue's static default. */
  raw(name: string, opts: { firstWins?: boolean } = {}): RawValue | undefined {
    const user = this.user(name, opts);
    if (user) return user;
    const def = variableSpec(name).defaultValue;
    return def === undefined ? undefined : { value: def, from: name, isDefault: true };
  }

  string(name: string, opts: { firstWins?: boolean } = {}): string | undefined {
    return this.raw(name, opts)?.value;
  }

  bool(name: string): boolean | undefined {
    const raw = this.raw(name);
    if (!raw) return undefined;
    const v = raw.value.toLowerCase();
    if (TRUE_WORDS.has(v)) return true;
    if (FALSE.has(v)) return false;
    this.problem(raw.from, `"${raw.value}" is not a boolean; ${BOOLEAN_HELP}`);
    return undefined;
  }

  /** Whole number within [min, max]; undefined (and a problem) otherwise. */
  int(name: string, min: number, max: number, unit = ""): number | undefined {
    const raw = this.raw(name);
    if (!raw) return undefined;
    const suffix = unit ? ` ${unit}` : "";
    if (!/^-?\d+$/.test(raw.value)) {
      this.problem(raw.from, `"${raw.value}" is not a whole number; use a number from ${min} to ${max}${suffix}`);
      return undefined;
    }
    const n = Number(raw.value);
    if (n < min || n > max) {
      this.problem(raw.from, `${n} is out of range; use a number from ${min} to ${max}${suffix}`);
      return undefined;
    }
    return n;
  }

  /** Case-insensitive choice; returns the canonical spelling. */
  oneOf<T extends string>(name: string, choices: Readonly<Record<string, T>>, accepted: string): T | undefined {
    const raw = this.raw(name);
    if (!raw) return undefined;
    const hit = choices[raw.value.toLowerCase()];
    if (hit === undefined) this.problem(raw.from, `"${raw.value}" is not accepted; use ${accepted}`);
    return hit;
  }
}
