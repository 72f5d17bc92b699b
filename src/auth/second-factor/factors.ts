import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { SecondFactor, SignInMethod } from '../method.ts';
import type { AuthMethod } from '../sessions/sessions.ts';

// The second factors of the methods in force, read as one: what an account
// has, what a challenge offers, how a notice names a proof. Everything here
// loops over the list; nothing names a method.

export interface Factor {
  readonly method: SignInMethod;
  readonly factor: SecondFactor;
}

/** The methods that serve as second factors, in the list's order. */
export const factorsOf = (methods: readonly SignInMethod[]): Factor[] =>
  methods.flatMap((method) => (method.secondFactor ? [{ method, factor: method.secondFactor }] : []));

function merged(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    into[key] =
      existing && typeof existing === 'object' && value && typeof value === 'object'
        ? merged({ ...(existing as Record<string, unknown>) }, value as Record<string, unknown>)
        : value;
  }
  return into;
}

const enrolledSelects = new WeakMap<readonly SignInMethod[], Prisma.UserSelect>();

/** One Prisma select on User that reads, in the same statement, which second factors the account has. */
export function enrolledSelect(methods: readonly SignInMethod[]): Prisma.UserSelect {
  let made = enrolledSelects.get(methods);
  if (!made) {
    made = factorsOf(methods).reduce<Record<string, unknown>>(
      (select, { factor }) => merged(select, factor.enrolledSelect as Record<string, unknown>),
      {},
    ) as Prisma.UserSelect;
    enrolledSelects.set(methods, made);
  }
  return made;
}

const enrolledSqls = new WeakMap<readonly SignInMethod[], string>();

/** One SQL boolean over the user aliased `u`: whether the account has a second factor (made once per list). */
export function enrolledSql(methods: readonly SignInMethod[]): string {
  let made = enrolledSqls.get(methods);
  if (made === undefined) {
    const each = factorsOf(methods).map(({ factor }) => `(${factor.enrolledSql})`);
    made = each.length > 0 ? each.join(' OR ') : 'false';
    enrolledSqls.set(methods, made);
  }
  return made;
}

/** What a challenge offers an account read with `enrolledSelect` (`extensions.methods`); none without a factor. */
export const offersOf = (methods: readonly SignInMethod[], row: object): string[] =>
  factorsOf(methods)
    .filter(({ factor }) => factor.isEnrolled(row))
    .flatMap(({ factor }) => factor.offers);

/** What a challenge offers the account (`extensions.methods`); none when it has no second factor. */
export async function secondFactorOffers(
  deps: { prisma: Pick<PrismaClient, 'user'>; methods: readonly SignInMethod[] },
  userId: string,
): Promise<string[]> {
  const account = await deps.prisma.user.findUnique({ where: { id: userId }, select: enrolledSelect(deps.methods) });
  return account ? offersOf(deps.methods, account) : [];
}

/** The factor a second step asks for first: the first in the list among those `offers` names. */
const firstOffered = (methods: readonly SignInMethod[], offers: readonly string[]) =>
  factorsOf(methods).find(({ factor }) => factor.offers.some((offer) => offers.includes(offer)))?.factor;

/** What a person is asked at a second step that offers `offers`. */
export const promptFor = (methods: readonly SignInMethod[], offers: readonly string[]) =>
  firstOffered(methods, offers)?.prompt ?? 'Confirm with your second factor.';

/** What a person is asked before a change, when the session's second factor is not recent. */
export const stepUpPromptFor = (methods: readonly SignInMethod[], offers: readonly string[]) =>
  firstOffered(methods, offers)?.stepUpPrompt ?? 'Confirm with your second factor first.';

/** Whether a session whose sign-in carried `amr` proved a second factor by it (a method that is also a first step counts on its own). */
export const provesSecondFactor = (methods: readonly SignInMethod[], amr: readonly AuthMethod[]) =>
  factorsOf(methods).some(({ method }) => method.amr.some((value) => amr.includes(value)));

/** How a notice says what proved a sign-in: "the password and a second-factor code". */
export function proofWords(methods: readonly SignInMethod[], amr: readonly AuthMethod[]): string {
  const words = methods.filter((method) => method.amr.some((value) => amr.includes(value))).map((m) => m.words);
  return words.join(' and ') || 'a sign-in';
}
