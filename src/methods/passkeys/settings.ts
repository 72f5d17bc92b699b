import { z } from 'zod';
import type { Config } from '../../config/config.ts';
import { optional } from '../../config/env-values.ts';
import type { SettingsContext, SettingsSlice } from '../../config/slice.ts';

/** The relying party, and the origins whose pages may use its passkeys. */
export interface PasskeySettings {
  readonly rpId: string;
  readonly rpName: string;
  /** Exact origins (scheme, host and port) allowed to register and sign in. */
  readonly origins: readonly string[];
  /** Development default: any `http://localhost:<port>` page. */
  readonly anyLocalhostPort: boolean;
}

const variables = {
  WEBAUTHN_RP_ID: optional(
    z
      .string()
      .regex(
        /^(localhost|([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})$/,
        'must be a domain name such as example.com (no scheme, port or path)',
      ),
  ),
  WEBAUTHN_RP_NAME: optional(z.string()),
  WEBAUTHN_ORIGINS: optional(z.string()),
};

/**
 * WEBAUTHN_*: outside production, localhost and any of its ports unless told
 * otherwise; in production, nothing unless WEBAUTHN_RP_ID is set (passkeys are
 * then off). Each origin must be the relying party's domain or a subdomain of
 * it, over https (or http on localhost), or browsers would refuse it anyway.
 */
function read(e: z.output<z.ZodObject<typeof variables>>, { production, appName, errors }: SettingsContext) {
  const rpId = e.WEBAUTHN_RP_ID ?? (production ? undefined : 'localhost');
  if (!rpId) {
    if (e.WEBAUTHN_ORIGINS) errors.push('WEBAUTHN_ORIGINS: set WEBAUTHN_RP_ID too (the domain passkeys belong to)');
    return undefined;
  }
  const listed = (e.WEBAUTHN_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of listed) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    const onRpId = url && (url.hostname === rpId || url.hostname.endsWith(`.${rpId}`));
    const secure = url && (url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost'));
    if (!url || url.origin !== origin.replace(/\/$/, '') || !onRpId || !secure) {
      errors.push(`WEBAUTHN_ORIGINS: "${origin}" must be an https:// origin on ${rpId} (scheme, host and port only)`);
    }
  }
  if (production && listed.length === 0) {
    errors.push(
      'WEBAUTHN_ORIGINS: required with WEBAUTHN_RP_ID in production: the origins of the pages that use passkeys',
    );
  }
  return {
    rpId,
    rpName: e.WEBAUTHN_RP_NAME ?? appName,
    origins: listed.map((origin) => origin.replace(/\/$/, '')),
    anyLocalhostPort: listed.length === 0 && rpId === 'localhost',
  };
}

export const passkeySettings: SettingsSlice<PasskeySettings | undefined, typeof variables> = { variables, read };

/** The passkeys' settings in the service's; undefined when passkeys are off. */
export const passkeySettingsOf = (config: Config) => config.methods.passkeys as PasskeySettings | undefined;
