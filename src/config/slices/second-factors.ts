import { settingsSlice } from '../slice.ts';
import { duration, encryptionKeyList, onOff, optional } from '../env-values.ts';

export interface SecondFactorSettings {
  /**
   * AES-256 keys for secrets stored at rest (second factors' secrets, the mail
   * outbox): the first encrypts, all decrypt. Unset outside production: a key
   * kept in `database.dataDir`.
   */
  readonly encryptionKeys: readonly Buffer[] | undefined;
  /** How recent a session's second factor must be for a step-up mutation without a fresh code. */
  readonly stepUpMaxAgeSeconds: number;
  /** Admin fields refuse an admin without a second factor. */
  readonly requireForAdmins: boolean;
}

export const secondFactorSettings = settingsSlice(
  {
    DATA_ENCRYPTION_KEY: optional(encryptionKeyList),
    STEP_UP_MAX_AGE: optional(duration).default(15 * 60),
    REQUIRE_ADMIN_SECOND_FACTOR: optional(onOff).default(false),
  },
  (e) => {
    const secondFactors: SecondFactorSettings = {
      encryptionKeys: e.DATA_ENCRYPTION_KEY,
      stepUpMaxAgeSeconds: e.STEP_UP_MAX_AGE,
      requireForAdmins: e.REQUIRE_ADMIN_SECOND_FACTOR,
    };
    return { secondFactors };
  },
);
