// npm run admin -- <command>
// Manages accounts from a shell, with the service's settings and database:
// create the first admin, change roles, end a user's sessions, list users.
// `npm run admin -- --help` lists the commands.
import { runAdmin } from './main.ts';

// Exits at once: an open standard input or the hashing threads would otherwise keep it waiting.
process.exit(await runAdmin(process.argv.slice(2)));
