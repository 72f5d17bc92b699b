import { z } from 'zod';
import type { Config } from '../../config/config.ts';
import type { SettingsSlice } from '../../config/slice.ts';
import { optional } from '../../config/env-values.ts';

export interface TotpSettings {
  /** The issuer an authenticator app shows beside the account (TOTP_ISSUER, else APP_NAME). */
  readonly issuer: string;
}

export const totpSettings: SettingsSlice<TotpSettings> = {
  variables: { TOTP_ISSUER: optional(z.string()) },
  read: (env) => ({ issuer: (env.TOTP_ISSUER as string | undefined) ?? (env.APP_NAME as string) }),
};

/** The authenticator app's settings in the service's. */
export const totpSettingsOf = (config: Config) => config.methods.totp as TotpSettings;
