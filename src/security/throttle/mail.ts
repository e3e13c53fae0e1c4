/**
 * Requests that send mail to an address someone types or picks — sign-up, password reset,
 * adding an address, a new confirmation link — limited per IP (one source asking for many
 * mails) and per (kind of mail, address) (many sources, or one account adding and removing
 * the address again and again, mailing one person: issue 10 item 5). Every request counts,
 * whether or not a mail goes out, so that a refusal does not tell whether the address has
 * an account. Kinds are counted apart so that someone adding your address to their account
 * cannot use up the password reset you may need; and a reset request made by someone else is
 * itself a working link in your mailbox.
 */
import { addressKey } from "./client-address.js";
import type { ThrottleLimits } from "./limits.js";
import type { Throttle } from "./throttle.js";

export type MailKind = "sign-up" | "password-reset" | "address-link";

export interface MailRequest {
  kind: MailKind;
  /** The address the mail would go to, as typed. */
  address: string;
  ip: string;
  /** The form field the refusal is shown next to ("form" for the page as a whole). */
  field?: string;
}

export interface MailThrottle {
  /** Counts a request that may send mail, or refuses it with a TooManyRequestsError. */
  request(request: MailRequest): Promise<void>;
}

export function createMailThrottle(throttle: Throttle, limits: ThrottleLimits["mail"]): MailThrottle {
  const perIp = { name: "mail.ip", ...limits.perIp };
  const perAddress = (kind: MailKind) => ({ name: `mail.address.${kind}`, ...limits.perAddress });
  return {
    async request({ kind, address, ip, field = "email" }) {
      await throttle.attempt(
        [
          { rule: perAddress(kind), key: address.trim().toLowerCase() },
          { rule: perIp, key: addressKey(ip) },
        ],
        { message: "Too many emails were asked for.", field },
      );
    },
  };
}
