import type { Tx } from "../confirmation/index.js";

export interface Account {
  id: string;
  name: string;
  createdAt: Date;
  primaryEmail: { address: string; verified: boolean } | undefined;
}

export interface EmailAddress {
  id: string;
  address: string;
  primary: boolean;
  verified: boolean;
  createdAt: Date;
}

export interface RegistrationInput {
  name: string;
  email: string;
  password: string;
}

export type AccountMailTemplate = "registration" | "registration-attempt" | "add-email" | "password-reset" | "address-in-use";

/** What accounts need from the mail room: queue inside the change's transaction. */
export interface MailSender {
  enqueue(tx: Tx, message: { to: string; template: AccountMailTemplate; variables: Record<string, string> }): Promise<void>;
}
