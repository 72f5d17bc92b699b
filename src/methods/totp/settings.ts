import { z } from 'zod';
import type { Config } from '../../config/config.ts';
import { settingsSlice } from '../../config/slice.ts';
import { optional } from '../../config/env-values.ts';

export interface TotpSettings {
  /** The issuer an authenticator app shows beside the account (TOTP_ISSUER, else APP_NAME). */
  readonly issuer: string;
}

export const totpSettings = settingsSlice(
  { TOTP_ISSUER: optional(z.string()) },
  (e, { appName }): TotpSettings => ({ issuer: e.TOTP_ISSUER ?? appName }),
);

/** The authenticator app's settings in the service's. */
export const totpSettingsOf = (config: Config) => config.methods.totp as TotpSettings;
