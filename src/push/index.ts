/** The Shared Signals transmitter: account updates pushed to the sites a user signed in to. */
export { pushDelivery, pushDeliveryHandler, type DeliveryPayload } from "./deliver.js";
export { eventsSupported, eventTypes } from "./event-types.js";
export { subscribePush } from "./fan-out.js";
export { checkPushEndpoint, PushEndpointError } from "./push-endpoint.js";
export { createPushRepository, type PushRepository } from "./repository.js";
export { mountSsfRoutes, ssfPaths, type BearerLookup } from "./routes.js";
export { createSetSigner, type SetSigner } from "./security-event-token.js";
export { createStreamService, type StreamService } from "./streams.js";
