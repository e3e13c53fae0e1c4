/**
 * What one Tessera-specific client setting is: a column of the `client` table, the extra
 * client metadata name the provider knows it by, how an operator sets it, and whether a
 * client registering itself (RFC 7591) may declare it. Everything else — the provider's
 * extraClientMetadata and its validator, the adapter's mapping, dynamic-registration
 * filtering, the CLI options and `client show` — is derived from these.
 */
import type { Client } from "../db/index.js";
import type { SettingType } from "./setting-types.js";

/** The `client` columns that are not settings: the row's identity, the provider's metadata, bookkeeping. */
type NotSettings = "id" | "metadata" | "createdAt" | "updatedAt";

/** A column that holds a setting: every other scalar field of the Prisma `Client` model. */
export type ClientSettingColumn = Exclude<keyof Client, NotSettings>;

/** Every setting's value, by column, as stored. */
export type ClientSettingValues = Pick<Client, ClientSettingColumn>;

export interface ClientSetting<Value> {
  /** The extra client metadata name (snake_case, as RFC 7591 names metadata). */
  readonly metadata: string;
  readonly type: SettingType<Value>;
  /** One line for people: the option's help and the label's meaning. */
  readonly description: string;
  /** The label `client show` prints it under. */
  readonly label: string;
  /** What `client show` prints when the value is unset (null or empty); "-" otherwise. */
  readonly unset?: string;
  /** A new client's value when nobody sets it; omitted: the database's default for the column. */
  readonly default?: Value;
  /**
   * How the operator sets it on `client create` and `client update`: `--flag` (`--no-flag` on
   * update for a switch, described by `off`). Omitted: no flag of its own (see organisation).
   */
  readonly cli?: { readonly flag: string; readonly off?: string };
  /**
   * Whether a dynamically registered client may declare it. An operator-only setting in a
   * registration request is dropped, not stored: letting a client set it would let it grant
   * itself privileges.
   */
  readonly registrable: boolean;
}

/** A descriptor with its value type forgotten, for code that handles every setting alike. */
export type AnyClientSetting = ClientSetting<unknown>;

/** The descriptor table's shape: one descriptor per setting column, of that column's type. */
export type ClientSettingTable = { readonly [Column in ClientSettingColumn]: ClientSetting<ClientSettingValues[Column]> };
