import type { PageContext, PageRouter } from "../../http/edge/index.js";

/** What every /account route knows once the visitor is signed in. */
export interface SignedIn {
  accountId: string;
}
export type AccountContext = PageContext<SignedIn>;
export type AccountRouter = PageRouter<SignedIn>;
