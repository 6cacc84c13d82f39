// The kinds of value a setting can hold, each with one parser that accepts both what a person types (a
// flag, an environment variable: always a string) and what a program passes (a number, a boolean, an
// array: an embedder's object or a JSON config file). Ranges and choices are declared once, with the
// setting, and every layer that reads the setting — the provider's defaults, the server's configuration
// registry, the generated docs — uses the same declaration, so they cannot disagree.

/** Thrown by a parser; the message completes "<setting> must …" and names what was given. */
export class SettingValueError extends Error {
  override name = 'SettingValueError';
}

export interface SettingType<T> {
  /** How the value is described in docs and errors, e.g. "a whole number from 6 to 10". */
  readonly describe: string;
  /** The value's name in --help, e.g. `seconds` in `--request-token-ttl <seconds>`. */
  readonly arg: string;
  /** A switch: the flag takes no value. */
  readonly switch?: true;
  /** The flag may also be given without a value, which then parses as `true`. */
  readonly valueOptional?: true;
  /** The flag may be given several times; the values are collected into an array for `parse`. */
  readonly repeatable?: true;
  parse(raw: unknown): T;
  /** The value as a person would type it (docs, `tripod-server config`). */
  format(value: T): string;
}

function shown(raw: unknown): string {
  return typeof raw === 'string' ? `'${raw}'` : JSON.stringify(raw);
}

function refuse(type: { describe: string }, raw: unknown): never {
  throw new SettingValueError(`must be ${type.describe}, got ${shown(raw)}`);
}

export function integer(min: number, max: number, arg = 'number'): SettingType<number> {
  const type: SettingType<number> = {
    describe: `a whole number from ${min} to ${max}`,
    arg,
    parse(raw) {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)
            ? Number(raw)
            : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) refuse(type, raw);
      return value;
    },
    format: (value) => String(value),
  };
  return type;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function boolean(): SettingType<boolean> {
  const type: SettingType<boolean> = {
    describe: 'true or false',
    arg: 'boolean',
    switch: true,
    parse(raw) {
      if (typeof raw === 'boolean') return raw;
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (TRUE.has(text)) return true;
      if (FALSE.has(text)) return false;
      return refuse(type, raw);
    },
    format: (value) => String(value),
  };
  return type;
}

export function oneOf<const C extends string>(choices: readonly C[], arg = 'value'): SettingType<C> {
  const type: SettingType<C> = {
    describe: `one of ${choices.join(', ')}`,
    arg,
    parse(raw) {
      const text = typeof raw === 'string' ? raw.trim() : raw;
      if (typeof text === 'string' && (choices as readonly string[]).includes(text)) return text as C;
      return refuse(type, raw);
    },
    format: (value) => value,
  };
  return type;
}

/** A list as typed (comma-separated, blanks dropped), or the value as passed (an array, or anything else). */
export function typedList(raw: unknown): unknown {
  return typeof raw === 'string'
    ? raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : raw;
}

/** A non-empty list of choices: comma-separated when typed, an array when passed. */
export function listOf<const C extends string>(
  choices: readonly C[],
  arg = 'list',
): SettingType<readonly C[]> {
  const type: SettingType<readonly C[]> = {
    describe: `a non-empty list of ${choices.join(', ')} (comma-separated when typed)`,
    arg,
    parse(raw) {
      const items = typedList(raw);
      if (!Array.isArray(items) || items.length === 0) return refuse(type, raw);
      for (const item of items) {
        if (!(choices as readonly unknown[]).includes(item)) {
          throw new SettingValueError(`must list only ${choices.join(', ')}; ${shown(item)} is not one`);
        }
      }
      return Object.freeze([...new Set(items as C[])]);
    },
    format: (value) => value.join(','),
  };
  return type;
}

/** Free text matching `pattern` (checked after trimming). */
export function text(pattern: RegExp, describe: string, arg = 'text'): SettingType<string> {
  const type: SettingType<string> = {
    describe,
    arg,
    parse(raw) {
      const value = typeof raw === 'string' ? raw.trim() : raw;
      if (typeof value !== 'string' || !pattern.test(value)) return refuse(type, raw);
      return value;
    },
    format: (value) => value,
  };
  return type;
}
