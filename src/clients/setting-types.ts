/**
 * The value types a client setting can have. Each one knows the three shapes of its value —
 * the database column, the client metadata the provider sees, and the text an operator types
 * — and says in words what a valid value is, so every refusal reads the same way wherever it
 * happens (command line, provider validation, dynamic registration).
 */

export interface SettingType<Value> {
  /** What a valid value is, for messages: "Must be …" on the command line, "name must be …" in metadata. */
  readonly expected: string;
  /** The command-line argument's placeholder ("<hours>"); a boolean is a switch without one. */
  readonly argument?: string;
  /** Whether a value is a list: its flag repeats, and each occurrence adds one item. */
  readonly repeatable?: boolean;
  /** Whether the setting may be unset: "" on the command line removes it. */
  readonly clearable?: boolean;
  /** A command-line value (one occurrence), or undefined when it is not valid. */
  fromText(text: string): Value | undefined;
  /** Whether a metadata value (as a client or a row hands it over) is valid. */
  isMetadata(value: unknown): boolean;
  /** The column value for a valid metadata value; undefined (absent) comes here too. */
  fromMetadata(value: unknown): Value;
  /** The metadata value for a column value; undefined leaves the property out. */
  toMetadata(value: Value): unknown;
  /** The URLs a value holds, so dynamic registration can hold them to its https rule. */
  urls?(value: unknown): string[];
}

/** A switch: `--flag` turns it on, and `--no-flag` (on update) off. */
export function booleanSetting(): SettingType<boolean> {
  return {
    expected: "true or false",
    fromText: () => true,
    isMetadata: (value) => typeof value === "boolean",
    fromMetadata: (value) => value === true,
    toMetadata: (value) => value,
  };
}

/** A whole number from 0 up, or unset. Nine digits at most, which the database's integer holds. */
export function wholeNumberSetting({ unit }: { unit: string }): SettingType<number | null> {
  return {
    expected: `a non-negative whole number of ${unit}`,
    argument: `<${unit}>`,
    clearable: true,
    fromText: (text) => (text === "" ? null : /^\d{1,9}$/.test(text.trim()) ? Number(text) : undefined),
    isMetadata: (value) => typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 999_999_999,
    fromMetadata: (value) => (typeof value === "number" ? value : null),
    toMetadata: (value) => value ?? undefined,
  };
}

/** Free text of at most `max` characters, or unset. */
export function textSetting({ max }: { max: number }): SettingType<string | null> {
  const valid = (value: unknown): value is string => typeof value === "string" && value.trim() !== "" && value.length <= max;
  return {
    expected: `text of 1 to ${max} characters`,
    argument: "<text>",
    clearable: true,
    fromText: (text) => (text === "" ? null : valid(text.trim()) ? text.trim() : undefined),
    isMetadata: valid,
    fromMetadata: (value) => (typeof value === "string" ? value : null),
    toMetadata: (value) => value ?? undefined,
  };
}

function isHttpUrl(value: unknown): value is string {
  const url = typeof value === "string" ? URL.parse(value) : null;
  return url !== null && (url.protocol === "https:" || url.protocol === "http:") && !url.hash;
}

/** An absolute http(s) URL without fragment, or unset. */
export function urlSetting(): SettingType<string | null> {
  return {
    expected: "an absolute http or https URL without #fragment, such as https://app.example/path",
    argument: "<url>",
    clearable: true,
    fromText: (text) => (text === "" ? null : isHttpUrl(text) ? text : undefined),
    isMetadata: isHttpUrl,
    fromMetadata: (value) => (typeof value === "string" ? value : null),
    toMetadata: (value) => value ?? undefined,
    urls: (value) => (typeof value === "string" ? [value] : []),
  };
}

/** A list of absolute http(s) URLs; the flag repeats, and `""` empties the list. */
export function urlListSetting(): SettingType<string[]> {
  return {
    expected: "a list of absolute http or https URLs without #fragment",
    argument: "<url>",
    repeatable: true,
    clearable: true,
    fromText: (text) => (text === "" ? [] : isHttpUrl(text) ? [text] : undefined),
    isMetadata: (value) => Array.isArray(value) && value.every(isHttpUrl),
    fromMetadata: (value) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []),
    toMetadata: (value) => (value.length ? value : undefined),
    urls: (value) => (Array.isArray(value) ? value.map(String) : []),
  };
}

/** The id of a row in another table (the operator names it; the CLI resolves the name). */
export function referenceSetting(): SettingType<string> {
  return {
    expected: "an id",
    fromText: (text) => (text === "" ? undefined : text),
    isMetadata: (value) => typeof value === "string" && value !== "",
    fromMetadata: (value) => String(value),
    toMetadata: (value) => value,
  };
}
