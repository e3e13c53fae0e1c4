export { clientSettings, clientSettingList } from "./settings.js";
export type { AnyClientSetting, ClientSetting, ClientSettingColumn, ClientSettingValues } from "./client-setting.js";
export type { SettingType } from "./setting-types.js";
export { newClientSettings, settingsOfRow } from "./setting-values.js";
export { clientSettingsMetadata, type ClientRowWithSettings, type ClientSettingEntry } from "./metadata.js";
