/** A failure to explain in one line, with no usage after it. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
