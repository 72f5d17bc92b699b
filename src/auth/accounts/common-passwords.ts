// zxcvbn-ts's maintained list of ~49,000 passwords seen most often in breaches.
// Loaded by the first password it checks, not at start: decompressing the
// module costs ~17 MiB that a service nobody signs up to never needs.
let commonPasswords: Promise<ReadonlySet<string>> | undefined;

const loadCommonPasswords = async (): Promise<ReadonlySet<string>> => {
  const { dictionary } = await import('@zxcvbn-ts/language-common');
  return new Set(dictionary['passwords-common']);
};

export async function isCommonPassword(password: string): Promise<boolean> {
  commonPasswords ??= loadCommonPasswords();
  return (await commonPasswords).has(password.toLowerCase());
}
