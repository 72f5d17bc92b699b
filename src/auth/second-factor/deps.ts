import type { MailFlowDeps } from '../deps.ts';
import type { StartSessionDeps } from '../sessions/start-session.ts';
import type { DataEncryption } from '../../crypto/data-encryption.ts';

export interface SecondFactorSettings {
  /** How recent a session's second factor must be for a step-up mutation without a fresh code. */
  stepUpMaxAgeSeconds: number;
  /** Admin fields refuse an admin without a second factor. */
  requireForAdmins: boolean;
}

export interface FactorDeps extends MailFlowDeps, StartSessionDeps {
  /** Seals the methods' secrets at rest; undefined in production without DATA_ENCRYPTION_KEY, where no factor can be set up. */
  encryption: DataEncryption | undefined;
  secondFactors: SecondFactorSettings;
}
