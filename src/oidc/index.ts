export { createAdapterFactory } from "./adapter.js";
export { responseTypes } from "./configuration.js";
export { loadOrCreateKeys, type KeyMaterial } from "./keys.js";
export { createProvider } from "./provider.js";
export { explainOidcError } from "./explain-error.js";
