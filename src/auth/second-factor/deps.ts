import type { MailFlowDeps } from '../recovery/deps.ts';
import type { StartSessionDeps } from '../sessions/start-session.ts';
import type { DataEncryption } from '../../crypto/data-encryption.ts';

export interface SecondFactorSettings {
  /** The issuer an authenticator app shows beside the account. */
  totpIssuer: string;
  /** How recent a session's second factor must be for a step-up mutation without a fresh code. */
  stepUpMaxAgeSeconds: number;
  /** Admin fields refuse an admin without a second factor. */
  requireForAdmins: boolean;
}

export interface FactorDeps extends MailFlowDeps, StartSessionDeps {
  /** Seals TOTP secrets at rest; undefined in production without DATA_ENCRYPTION_KEY, where no factor can be set up. */
  encryption: DataEncryption | undefined;
  secondFactors: SecondFactorSettings;
}
