import { type ConfigResult, loadConfig } from './config/config.ts';
import { METHOD_SETTINGS } from './methods.ts';

/** The service's settings from the environment, the sign-in methods' own among them. */
export const loadSettings = (env: Readonly<Record<string, string | undefined>> = process.env): ConfigResult =>
  loadConfig(env, METHOD_SETTINGS);
