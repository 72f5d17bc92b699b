// npm run admin -- <command>
// Manages accounts from a shell, with the service's settings and database:
// create the first admin, change roles, end a user's sessions, list users.
// `npm run admin -- --help` lists the commands.
import v8 from 'node:v8';
import { loadEnvFiles } from '../config/env-files.ts';
import { runAdmin } from './main.ts';

// A command runs a few statements and exits. V8's optimizing compiler would
// spend more CPU recompiling the embedded database's WebAssembly than those
// statements take: with the baseline compiler alone, a command costs about
// a third less CPU (1.3 s rather than 2.0 on `list`). The service keeps both.
v8.setFlagsFromString('--liftoff-only');

// The service's settings, .env files included, as `npm start` reads them.
loadEnvFiles();

// Exits at once: an open standard input or the hashing threads would otherwise keep it waiting.
process.exit(await runAdmin(process.argv.slice(2)));
