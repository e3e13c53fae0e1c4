export { cooloffEndsAt } from "./cooloff.js";
export { createOrganisationRepository, defaultOrganisationId, type OrganisationRepository } from "./repository.js";
export type { Organisation, OrganisationConsentRecord, SignInRecord } from "./types.js";
export { createConsentService, type ConsentService } from "./consents.js";
