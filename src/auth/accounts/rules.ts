import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { badUserInput } from '../../errors.ts';
import { isCommonPassword } from './common-passwords.ts';

export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads at most 72 bytes; a longer password is refused rather than silently cut. */
export const PASSWORD_MAX_BYTES = 72;
export const NAME_MAX_LENGTH = 100;

// A mailbox as RFC 5321 has them in practice: a local part of ASCII letters,
// digits and the few signs mail allows unquoted (a "dot-atom": no quotes, commas,
// angle brackets, spaces), and a domain of letters, digits and hyphens. Anything a
// mail library could read as two recipients, or as a name and an address, is out.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LOCAL_PART_MAX_LENGTH = 64;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const EMAIL_SHAPE_MESSAGE = 'Email must look like name@example.com.';

/**
 * The address as stored: trimmed and lower-cased, its domain in ASCII (an
 * internationalized domain in its A-label form, `xn--…`); or why it is refused.
 */
function normalizedAddress(value: string): { address: string } | { problem: string } {
  const parts = value.split('@');
  if (parts.length !== 2) return { problem: EMAIL_SHAPE_MESSAGE };
  const [local = '', rawDomain = ''] = parts;
  if (local.length > LOCAL_PART_MAX_LENGTH || !LOCAL_PART.test(local)) return { problem: EMAIL_SHAPE_MESSAGE };
  // domainToASCII gives '' for what no domain can be; a domain already in ASCII passes through.
  const domain = /^[\x21-\x7e]+$/.test(rawDomain) ? rawDomain : domainToASCII(rawDomain);
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || /^\d+$/.test(labels.at(-1) ?? '')) {
    return { problem: EMAIL_SHAPE_MESSAGE };
  }
  return { address: `${local}@${domain}` };
}

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Email is required.')
  .max(EMAIL_MAX_LENGTH, `Email must be at most ${EMAIL_MAX_LENGTH} characters.`)
  .transform((value, ctx) => {
    const result = normalizedAddress(value);
    if ('problem' in result) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    if (result.address.length > EMAIL_MAX_LENGTH) {
      ctx.addIssue({ code: 'custom', message: `Email must be at most ${EMAIL_MAX_LENGTH} characters.` });
      return z.NEVER;
    }
    return result.address;
  });

const passwordLengthSchema = z.string().refine((p) => Buffer.byteLength(p, 'utf8') <= PASSWORD_MAX_BYTES, {
  message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8.`,
});

const nameSchema = z
  .string()
  .trim()
  .max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters.`)
  // Control characters and bidirectional overrides have no place in a name shown
  // to others: they can hide or reorder what a reader sees.
  .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'Name must not contain control characters.')
  .transform((name) => (name === '' ? null : name));

function check<T>(field: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badUserInput(field, result.error.issues[0]?.message ?? `Invalid ${field}.`);
  return result.data;
}

/** Trimmed and lower-cased, or BAD_USER_INPUT on `field`. */
export const normalizeEmail = (email: string, field = 'email') => check(field, emailSchema, email);

export const normalizeName = (name: string | null | undefined): string | null =>
  name == null ? null : check('name', nameSchema, name);

/** The checks a password must pass to be presented at all (also at login). */
export function checkPasswordLength(password: string, field = 'password'): void {
  if (password.length === 0) throw badUserInput(field, 'Password is required.');
  check(field, passwordLengthSchema, password);
}

/** The rules a new password must meet. `email` is the normalized email of its account. */
export async function checkNewPassword(password: string, email: string, field = 'password'): Promise<void> {
  checkPasswordLength(password, field);
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw badUserInput(field, `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`);
  }
  if (password.trim().toLowerCase() === email) {
    throw badUserInput(field, 'Password must not be your email address.');
  }
  if (await isCommonPassword(password)) {
    throw badUserInput(field, 'This password is too common; choose another.');
  }
}
