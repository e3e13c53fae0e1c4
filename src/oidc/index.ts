export { createAdapterFactory } from "./adapter.js";
export { responseTypes } from "./configuration.js";
export { loadOrCreateKeys, type KeyMaterial } from "./keys.js";
export { createProvider } from "./provider.js";
export { explainOidcError } from "./explain-error.js";
export { tesseraReasons } from "./policy.js";
export { endSessionsOf } from "./sessions.js";
export { accountClient, accountClientId, providerSession, seedAccountClient } from "./account-client.js";
export { waitingInteractionUid } from "./waiting-interaction.js";
