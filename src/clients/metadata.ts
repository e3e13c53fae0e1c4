/**
 * Where Tessera's client settings meet node-oidc-provider's client metadata. Settings live
 * in columns; the provider sees them as extra metadata (docs/README.md#extraclientmetadata)
 * so that its hooks read them from `ctx.oidc.client`. Metadata arriving from the provider
 * (dynamic registration, RFC 7591/7592) may set only the settings marked registrable: an
 * operator-only setting there is dropped, as letting a client set it would let it grant
 * itself privileges.
 */
import type { AdapterPayload } from "oidc-provider";
import type { Prisma } from "../db/index.js";
import type { AnyClientSetting, ClientSettingColumn, ClientSettingValues } from "./client-setting.js";
import { clientSettingList } from "./settings.js";

export type ClientSettingEntry = AnyClientSetting & { readonly column: ClientSettingColumn };

/** A `client` row as the adapter and the CLI hand it over: id, provider metadata, settings. */
export type ClientRowWithSettings = { id: string; metadata: Prisma.JsonValue } & ClientSettingValues;

/** The provider-facing views of a list of settings (the real list, or a test's). */
export function settingsMetadata(settings: readonly ClientSettingEntry[]) {
  const byName = new Map(settings.map((setting) => [setting.metadata, setting]));
  const registrable = settings.filter((setting) => setting.registrable);

  return {
    /** Registered with the provider as `extraClientMetadata.properties`. */
    names: settings.map((setting) => setting.metadata),

    /** Names a registering client may not declare. */
    operatorOnly: settings.filter((setting) => !setting.registrable).map((setting) => setting.metadata),

    /** Why a metadata value is refused ("cooloff_hours must be …"), or undefined when it is fine. */
    problem(name: string, value: unknown): string | undefined {
      const setting = byName.get(name);
      if (!setting || value === undefined || setting.type.isMetadata(value)) return undefined;
      return `${name} must be ${setting.type.expected}`;
    },

    /** The URLs in registrable settings, by name, for the registration policy's https rule. */
    urls(properties: Record<string, unknown>): [name: string, urls: string[]][] {
      return registrable.flatMap((setting) => (setting.type.urls ? [[setting.metadata, setting.type.urls(properties[setting.metadata])] as [string, string[]]] : []));
    },

    /** The metadata the provider loads: the stored metadata with the settings merged in. */
    fromRow(row: ClientRowWithSettings): AdapterPayload {
      const payload: Record<string, unknown> = { ...(row.metadata as Prisma.JsonObject), client_id: row.id };
      for (const setting of settings) {
        const value = setting.type.toMetadata(row[setting.column]);
        if (value === undefined) delete payload[setting.metadata];
        else payload[setting.metadata] = value;
      }
      return payload as AdapterPayload;
    },

    /**
     * What the adapter stores for metadata the provider saves (only dynamic registration
     * does): the settings' names taken out of the JSON, the registrable ones into their
     * columns (absent: their default), the operator's left as they are.
     */
    toRow(payload: AdapterPayload): { metadata: Prisma.InputJsonValue; settings: Partial<ClientSettingValues> } {
      const metadata: Record<string, unknown> = { ...payload };
      for (const name of byName.keys()) delete metadata[name];
      const values: Partial<Record<ClientSettingColumn, unknown>> = {};
      for (const setting of registrable) {
        const value = payload[setting.metadata];
        const stored = value !== undefined && setting.type.isMetadata(value) ? setting.type.fromMetadata(value) : setting.default;
        if (stored !== undefined) values[setting.column] = stored;
      }
      // Each value came from its own column's type (or default), so it fits the column.
      return { metadata: metadata as Prisma.InputJsonValue, settings: values as Partial<ClientSettingValues> };
    },
  };
}

export type SettingsMetadata = ReturnType<typeof settingsMetadata>;

/** Tessera's own settings, as the provider, its adapter and dynamic registration see them. */
export const clientSettingsMetadata = settingsMetadata(clientSettingList);
