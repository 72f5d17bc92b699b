import { METHODS } from './methods.ts';
import { builder } from './schema/builder.ts';
import './schema/user.ts';
import './schema/auth-payload.ts';
import './schema/session.ts';
import './schema/auth-event.ts';
import './schema/recovery.ts';
import './schema/second-factor.ts';

// Each sign-in method registers its own fields.
for (const method of METHODS) await method.graphql?.();

export const schema = builder.toSchema({ sortSchema: true });
