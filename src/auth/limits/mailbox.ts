/**
 * Providers whose addresses reach one mailbox in more spellings than `+tag`:
 * the domain they all deliver to, and what else of the local part they ignore.
 */
const PROVIDERS: Record<string, { domain: string; ignoredDots?: boolean; tagSeparators?: string }> = {
  'gmail.com': { domain: 'gmail.com', ignoredDots: true },
  'googlemail.com': { domain: 'gmail.com', ignoredDots: true },
  // Yahoo's disposable addresses are `base-keyword`.
  'yahoo.com': { domain: 'yahoo.com', tagSeparators: '+-' },
};

/**
 * The mailbox a (normalized) address delivers to, as the per-address mail limit
 * counts it: `ada+1@example.com` and `ada+2@example.com` are one mailbox, and so
 * are `a.da@gmail.com` and `ada@googlemail.com`. For a domain whose rules are
 * not known, only the `+tag` (RFC 5233 subaddressing) is set aside: two people
 * sharing a domain never differ by it alone, and at worst they share a limit.
 */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return email;
  const domain = email.slice(at + 1);
  const provider = PROVIDERS[domain];
  const separators = provider?.tagSeparators ?? '+';
  let local = email.slice(0, at);
  const cut = [...separators].map((separator) => local.indexOf(separator)).filter((index) => index > 0);
  if (cut.length > 0) local = local.slice(0, Math.min(...cut));
  if (provider?.ignoredDots) local = local.replaceAll('.', '');
  return `${local}@${provider?.domain ?? domain}`;
}
