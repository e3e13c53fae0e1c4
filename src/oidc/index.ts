export { createAdapterFactory } from "./adapter.js";
export { loadOrCreateAtRestKeys, type AtRestKeys } from "./at-rest-key.js";
export { clientSecrets, sealPlainClientSecrets, type ClientSecrets } from "./client-secrets.js";
export { responseTypes } from "./configuration.js";
export {
  generateSigningKey,
  KeyRotationError,
  listSigningKeys,
  loadOrCreateKeys,
  readKeyMaterial,
  retireSigningKey,
  rotateSigningKeys,
  type KeyMaterial,
  type SigningKeyInfo,
} from "./keys.js";
export { createProvider } from "./provider.js";
export { explainOidcError } from "./explain-error.js";
export { tesseraPrompts, tesseraReasons } from "./policy.js";
export { revokeAccountAccess } from "./sessions.js";
export { accountClient, accountClientId, providerSession, seedAccountClient } from "./account-client.js";
export { waitingInteractionUid } from "./waiting-interaction.js";
export { recordSignIns } from "./sign-in-history.js";
export { deleteAccountRecords } from "./account-records.js";
export { accountSessions } from "./account-sessions.js";
export { connectedApplications, type ConnectedApplications } from "./grants.js";
export { resourceServerLookup, resourceServerNames } from "./resource-servers.js";
export { registrationPolicyName } from "./registration-policy.js";
export { purgeExpired, purgeExpiredArtefacts, purgeExpiredHandler } from "./purge-expired.js";
export { clientCredentialsBearer } from "./client-credentials-bearer.js";
export { clientAuthGuard, type ClientAuthGuard } from "./client-auth-throttle.js";
export { clientCacheTtlMs, clientChangesChannel, createClientCache, type ClientCache } from "./client-cache.js";
export { recordSignOuts } from "./sign-outs.js";
export { expiredSignIns, signInUidOf, type ExpiredSignIns } from "./ended-sign-ins.js";
export { renderExpiredSignIn } from "./pages.js";
