import { builder } from './builder.ts';
import './user.ts';
import './auth-payload.ts';

export const schema = builder.toSchema({ sortSchema: true });
