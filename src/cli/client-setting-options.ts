/**
 * The command line of Tessera's client settings, derived from their descriptors
 * (src/clients/settings.ts): one option per setting on `client create` and `client update`
 * (a switch gets its `--no-` form on update; `""` removes an optional value), the input those
 * options make, and the lines `client show` prints.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { clientSettingList, type AnyClientSetting, type ClientSettingColumn, type ClientSettingValues } from "../clients/index.js";

interface FlaggedSetting {
  setting: AnyClientSetting & { column: ClientSettingColumn };
  flag: string;
  off: string | undefined;
  /** The key commander stores the option's value under (`--cooloff-hours` → cooloffHours). */
  attribute: string;
}

const flagged: FlaggedSetting[] = clientSettingList.flatMap((setting) =>
  setting.cli ? [{ setting, flag: `--${setting.cli.flag}`, off: setting.cli.off, attribute: new Option(`--${setting.cli.flag}`).attributeName() }] : [],
);

/** Which option sets each setting's metadata, to name it when the provider refuses a value. */
export const settingOptionFor: Record<string, string> = Object.fromEntries(flagged.map(({ setting, flag }) => [setting.metadata, flag]));

function help(setting: AnyClientSetting): string {
  const notes = [setting.type.repeatable && "repeat for several", setting.type.clearable && '"" removes it'].filter(Boolean);
  return notes.length ? `${setting.description} (${notes.join("; ")})` : setting.description;
}

/**
 * A parsed value, boxed: commander replaces a parser's null (what `""` means for an optional
 * value) with an empty string, so the value travels in a box and is unboxed for the input.
 */
class Parsed {
  constructor(readonly value: unknown) {}
}

const asList = (value: unknown): readonly unknown[] | undefined => (Array.isArray(value) ? (value as readonly unknown[]) : undefined);

/** Commander's parser for one occurrence: refused with the type's message, which commander prefixes with the option. */
function parser(setting: AnyClientSetting) {
  return (text: string, previous: unknown): Parsed => {
    const value = setting.type.fromText(text);
    if (value === undefined) throw new InvalidArgumentError(`Must be ${setting.type.expected}.`);
    const items = asList(value);
    const earlier = asList(previous instanceof Parsed ? previous.value : undefined);
    if (setting.type.repeatable && items?.length && earlier) return new Parsed([...earlier, ...items]);
    return new Parsed(value);
  };
}

export function addClientSettingOptions(command: Command, { create }: { create: boolean }): Command {
  for (const { setting, flag, off } of flagged) {
    if (setting.type.argument === undefined) {
      command.option(flag, setting.description);
      if (!create) command.option(`--no-${flag.slice(2)}`, off ?? `undo ${flag}`);
    } else {
      command.addOption(new Option(`${flag} ${setting.type.argument}`, help(setting)).argParser(parser(setting)));
    }
  }
  return command;
}

/** The settings the command line gave (parsed values, by column); those not given are left out. */
export function clientSettingInput(options: object): Partial<ClientSettingValues> {
  const given = options as Record<string, unknown>;
  const values: Partial<Record<ClientSettingColumn, unknown>> = {};
  for (const { setting, attribute } of flagged) {
    const value = given[attribute];
    if (value !== undefined) values[setting.column] = value instanceof Parsed ? value.value : value;
  }
  // Each value is what the setting's own type parsed, so it fits its column.
  return values as Partial<ClientSettingValues>;
}

const isUnset = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0);

/** `label: value` lines for `client show`, for every setting an operator sets by flag. */
export function clientSettingFields(settings: ClientSettingValues): [label: string, value: unknown][] {
  return flagged.map(({ setting }) => {
    const value = settings[setting.column];
    return [setting.label, isUnset(value) && setting.unset !== undefined ? setting.unset : value];
  });
}

/** The same settings for --json, keyed by column name (`cooloffHours`). */
export function clientSettingJson(settings: ClientSettingValues): Record<string, unknown> {
  return Object.fromEntries(flagged.map(({ setting }) => [setting.column, settings[setting.column]]));
}
