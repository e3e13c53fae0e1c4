/**
 * What the descriptors make of client metadata: a bad value is refused with its type's
 * message naming the metadata; a row becomes the metadata the provider loads; of metadata
 * the provider saves (dynamic registration), only registrable settings reach their columns.
 * A test list with a registrable setting stands for the coming ones (push endpoint,
 * sign-in-link targets), which Tessera's own list does not have yet.
 */
import type { AdapterPayload } from "oidc-provider";
import type { ClientSettingColumn } from "./client-setting.js";
import { clientSettingsMetadata, settingsMetadata, type ClientSettingEntry } from "./metadata.js";
import { newClientSettings } from "./setting-values.js";
import { clientSettings } from "./settings.js";
import { urlListSetting } from "./setting-types.js";

const policy = ["organisation_id", "first_party", "require_verified_email", "cooloff_hours"];
const row = { id: "shop", metadata: { client_id: "shop", redirect_uris: ["https://shop.example/cb"] }, ...newClientSettings({ organisationId: "org-1", firstParty: true }) };

test("every setting is extra metadata, and a value of the wrong type is refused naming it and saying what is expected", () => {
  expect(clientSettingsMetadata.names).toEqual(expect.arrayContaining(policy));
  expect(clientSettingsMetadata.problem("cooloff_hours", -1)).toBe("cooloff_hours must be a non-negative whole number of hours");
  expect(clientSettingsMetadata.problem("cooloff_hours", 1.5)).toBe("cooloff_hours must be a non-negative whole number of hours");
  expect(clientSettingsMetadata.problem("first_party", "yes")).toBe("first_party must be true or false");
  expect(clientSettingsMetadata.problem("organisation_id", 7)).toBe("organisation_id must be an id");
  for (const [name, value] of [["cooloff_hours", 24], ["cooloff_hours", undefined], ["first_party", false], ["organisation_id", "org-1"]] as const) {
    expect(clientSettingsMetadata.problem(name, value)).toBeUndefined();
  }
});

test("a row becomes the provider's metadata with its settings merged in; unset ones are left out", () => {
  const metadata = clientSettingsMetadata.fromRow(row);
  expect(metadata).toMatchObject({ client_id: "shop", redirect_uris: ["https://shop.example/cb"], organisation_id: "org-1", first_party: true, require_verified_email: false });
  expect(metadata).not.toHaveProperty("cooloff_hours");
  expect(clientSettingsMetadata.fromRow({ ...row, cooloffHours: 0 })).toMatchObject({ cooloff_hours: 0 });
});

test("the policy settings are the operator's: registration drops them, and the adapter stores none from metadata", () => {
  expect(clientSettingsMetadata.operatorOnly).toEqual(expect.arrayContaining(policy));
  const saved = clientSettingsMetadata.toRow({ client_id: "dyn", first_party: true, require_verified_email: true, cooloff_hours: 0, organisation_id: "org-1" } as AdapterPayload);
  expect(saved.metadata).toEqual({ client_id: "dyn" });
  for (const column of ["organisationId", "firstParty", "requireVerifiedEmail", "cooloffHours"]) expect(saved.settings).not.toHaveProperty(column);
});

describe("a setting a registering client may declare", () => {
  const targets: ClientSettingEntry = {
    column: "signInLinkTargets" as ClientSettingColumn,
    metadata: "sign_in_link_targets",
    type: urlListSetting(),
    description: "pages a sign-in link may lead to",
    label: "sign-in link targets",
    default: [],
    cli: { flag: "sign-in-link-target" },
    registrable: true,
  };
  const operatorOnly: ClientSettingEntry = { ...clientSettings.firstParty, column: "firstParty" };
  const settings = settingsMetadata([operatorOnly, targets]);

  test("is kept by registration, its URLs checked, while operator-only ones are dropped", () => {
    expect(settings.operatorOnly).toEqual(["first_party"]);
    expect(settings.urls({ sign_in_link_targets: ["https://rp.example/a", "http://rp.example/b"] })).toEqual([
      ["sign_in_link_targets", ["https://rp.example/a", "http://rp.example/b"]],
    ]);
    expect(settings.problem("sign_in_link_targets", ["not a url"])).toBe("sign_in_link_targets must be a list of absolute http or https URLs without #fragment");
  });

  test("reaches its column from saved metadata (its default when absent), the operator's setting does not", () => {
    const saved = settings.toRow({ client_id: "dyn", first_party: true, sign_in_link_targets: ["https://rp.example/a"] } as AdapterPayload);
    expect(saved).toEqual({ metadata: { client_id: "dyn" }, settings: { signInLinkTargets: ["https://rp.example/a"] } });
    expect(settings.toRow({ client_id: "dyn" } as AdapterPayload).settings).toEqual({ signInLinkTargets: [] });
  });
});
