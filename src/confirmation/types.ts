import type { Intent } from "./intents.js";

export type Payload = Record<string, string | undefined>;

/** A valid link's content, as the owning room sees it. */
export interface Confirmation {
  id: string;
  intent: Intent;
  objectId: string;
  payload: Payload;
  expiresAt: Date;
}

export interface CreatedLink {
  key: string;
  url: string;
  expiresAt: Date;
}
