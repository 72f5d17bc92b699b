import { builder } from './builder.ts';
import './user.ts';
import './auth-payload.ts';
import './session.ts';
import './auth-event.ts';
import './recovery.ts';
import './second-factor.ts';
import './passkeys.ts';

export const schema = builder.toSchema({ sortSchema: true });
