import { isIPv4, isIPv6 } from 'node:net';

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  // A browser driven by a program (a test, a scraper): its agent says so, and Safari's name comes after it.
  [/\bHeadlessChrome\//, 'headless Chrome'],
  [/\bChrome\/|\bCriOS\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/\bnode\b|\bundici\b/i, 'a Node.js program'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/\bWindows\b/, 'Windows'],
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPad\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * "Firefox on Windows": the browser and system a user agent names, in words of
 * our own. The agent itself is the signer's to choose, so none of its text goes
 * into the mail, where it could pose as a message from the service.
 */
export function describeDevice(userAgent: string | undefined): string {
  const agent = userAgent ?? '';
  const browser = BROWSERS.find(([pattern]) => pattern.test(agent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(agent))?.[1];
  if (!browser) return system ? `an unknown browser or program on ${system}` : 'an unknown browser or program';
  return system ? `${browser} on ${system}` : browser;
}

/**
 * The network a client address belongs to, as sign-ins are compared: its IPv4
 * /24 or its IPv6 /48 (an IPv4 address mapped into IPv6 counts as IPv4). A
 * signer chooses their user agent freely, their network far less: a sign-in is
 * from a known device only when both match an earlier session.
 */
export function networkOf(ip: string | undefined): string | null {
  if (!ip) return null;
  const address = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return null;
  const groups = expandIPv6(address.split('%')[0] ?? address);
  return `${groups.slice(0, 3).join(':')}::/48`;
}

/** The eight groups of an IPv6 address, without leading zeros ("2001:db8:0:0:0:0:0:1"). */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const split = (part: string) => (part === '' ? [] : part.split(':'));
  const left = split(head);
  const right = tail === undefined ? [] : split(tail);
  // An IPv4 tail ("::1.2.3.4") is two groups.
  const last = right.length > 0 ? right : left;
  const dotted = last.at(-1);
  if (dotted && isIPv4(dotted)) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    last.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = 8 - left.length - right.length;
  return [...left, ...Array(tail === undefined ? 0 : missing).fill('0'), ...right].map((group) =>
    Number.parseInt(group, 16).toString(16),
  );
}
