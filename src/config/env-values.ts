import { z } from 'zod';
import { privateKey, splitPemBlocks } from '../crypto/signing-keys.ts';
import { parseDuration } from './duration.ts';

// The kinds of value a setting may hold, each read from an environment
// variable's text with a message that names what was expected.

/** The shortest HS256 secret taken. */
export const MIN_SECRET_BYTES = 32;

// An empty variable counts as unset, so `FOO= npm start` means "use the default".
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const duration = z.string().transform((value, ctx) => {
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a positive duration such as 900, 15m, 1h or 7d (got "${value}")`,
    });
    return z.NEVER;
  }
  return seconds;
});

export const seconds = z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number);

export const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const secretList = z.string().transform((value, ctx) => {
  const secrets = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (secrets.length === 0) ctx.addIssue({ code: 'custom', message: 'holds no secret' });
  secrets.forEach((secret, index) => {
    const bytes = Buffer.byteLength(secret, 'utf8');
    if (bytes < MIN_SECRET_BYTES) {
      // Never echo the secret itself: only where it is and how short.
      const which = secrets.length > 1 ? `secret #${index + 1} ` : '';
      ctx.addIssue({ code: 'custom', message: `${which}must be at least ${MIN_SECRET_BYTES} bytes (got ${bytes})` });
    }
  });
  return secrets;
});

export const privateKeyList = z.string().transform((value, ctx) => {
  const blocks = splitPemBlocks(value);
  if (blocks.length === 0)
    ctx.addIssue({ code: 'custom', message: 'holds no PEM private key (-----BEGIN PRIVATE KEY----- …)' });
  blocks.forEach((pem, index) => {
    try {
      privateKey(pem);
    } catch (error) {
      const which = blocks.length > 1 ? `key #${index + 1} ` : '';
      ctx.addIssue({ code: 'custom', message: `${which}${(error as Error).message}` });
    }
  });
  return blocks;
});

export const limit = z.string().transform((value, ctx) => {
  const match = /^(\d+)\s*\/\s*(\S+)$/.exec(value.trim());
  const durationSeconds = match?.[2] ? parseDuration(match[2]) : undefined;
  if (!match || !durationSeconds || Number(match[1]) < 1) {
    ctx.addIssue({ code: 'custom', message: `must be a count per duration such as 10/15m or 50/1h (got "${value}")` });
    return z.NEVER;
  }
  return { points: Number(match[1]), durationSeconds };
});

/** A 256-bit key as 64 hex digits or 43/44 characters of base64(url). */
function keyBytes(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return undefined;
}

export const encryptionKeyList = z.string().transform((value, ctx) => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'holds no key' });
  const keys: Buffer[] = [];
  entries.forEach((entry, index) => {
    const key = keyBytes(entry);
    // Never echo a key: only which one.
    const which = entries.length > 1 ? `key #${index + 1} ` : '';
    if (key?.length === 32) keys.push(key);
    else
      ctx.addIssue({
        code: 'custom',
        message: `${which}must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)`,
      });
  });
  return keys;
});

export const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');

export const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^/\s]+/.test(value), 'must be an http:// or https:// URL');

export const linkTemplate = z
  .string()
  .refine((value) => /^https?:\/\/[^/\s]+/.test(value), 'must be an http:// or https:// URL')
  .refine((value) => value.includes('{token}'), 'must hold {token}, where the token goes');

export const smtpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
  // Never echo the URL: it may hold a password.
}, 'must be an smtp:// or smtps:// URL, such as smtp://user:password@mail.example.com:587');

export const trustProxy = z.string().transform((value, ctx): number | string[] => {
  if (/^\d+$/.test(value.trim())) return Number(value);
  const entries = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!/^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/.test(entry)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not a hop count, an address, a CIDR or loopback/linklocal/uniquelocal`,
      });
    }
  }
  return entries;
});
