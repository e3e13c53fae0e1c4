/**
 * The key a client address is counted under. An IPv6 host usually holds a whole /64
 * (RFC 4291 §2.5.4, and providers hand out /64s or more), so counting single IPv6
 * addresses would give one attacker 2^64 separate limits: IPv6 addresses count by their
 * /64 prefix. IPv4-mapped IPv6 addresses (::ffff:192.0.2.1) count as the IPv4 address.
 */
import { isIPv6 } from "node:net";

export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
