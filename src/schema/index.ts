import { builder } from './builder.ts';
import './user.ts';
import './auth-payload.ts';
import './session.ts';
import './auth-event.ts';
import './recovery.ts';
import '../methods/totp/graphql.ts';
import '../methods/passkeys/graphql.ts';

export const schema = builder.toSchema({ sortSchema: true });
