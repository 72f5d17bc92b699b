import { METHODS } from '../methods.ts';
import { builder } from './builder.ts';
import './user.ts';
import './auth-payload.ts';
import './session.ts';
import './auth-event.ts';
import './recovery.ts';
import './second-factor.ts';

// Each sign-in method registers its own fields.
for (const method of METHODS) await method.graphql?.();

export const schema = builder.toSchema({ sortSchema: true });
