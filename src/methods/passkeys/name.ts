import { normalizeName } from '../../auth/accounts/rules.ts';
import { badUserInput } from '../../errors.ts';

/** A person's label for a passkey ("Laptop", "Phone"): a name's rules, 64 characters at most. */
export function passkeyName(name: string | null | undefined): string {
  if (name == null) return 'Passkey';
  let normalized: string | null;
  try {
    normalized = normalizeName(name);
  } catch {
    throw badUserInput('name', 'A passkey name must have no control characters.');
  }
  if (normalized && normalized.length > 64) throw badUserInput('name', 'A passkey name must be at most 64 characters.');
  return normalized ?? 'Passkey';
}
