/**
 * A client's settings as one typed record (`ClientSettingValues`, by column): read from a
 * row, or completed with the descriptors' defaults for a new client.
 */
import type { ClientSettingColumn, ClientSettingValues } from "./client-setting.js";
import { clientSettingList } from "./settings.js";

/** The settings of a `client` row (any object carrying the setting columns). */
export function settingsOfRow(row: ClientSettingValues): ClientSettingValues {
  return pick(row, clientSettingList.map((setting) => setting.column));
}

/**
 * A new client's settings: those given, the rest at their descriptors' defaults. A setting
 * without a default (its default lives in the schema) must be given, or it is a bug here.
 */
export function newClientSettings(given: Partial<ClientSettingValues>): ClientSettingValues {
  const values: Partial<Record<ClientSettingColumn, unknown>> = {};
  for (const setting of clientSettingList) {
    const value = given[setting.column] !== undefined ? given[setting.column] : setting.default;
    if (value === undefined) throw new Error(`client setting ${setting.column} has no default and was not given`);
    values[setting.column] = value;
  }
  // Each value is the given one or its descriptor's default, both typed by the column.
  return values as ClientSettingValues;
}

function pick(row: ClientSettingValues, columns: ClientSettingColumn[]): ClientSettingValues {
  return Object.fromEntries(columns.map((column) => [column, row[column]])) as ClientSettingValues;
}
