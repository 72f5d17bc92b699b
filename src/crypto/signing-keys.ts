import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

export type SigningAlgorithm = 'HS256' | 'ES256' | 'RS256';

/** One key of the ring: it signs if it comes first, and verifies tokens naming its `kid`. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  signWith: KeyObject;
  verifyWith: KeyObject;
  /** For asymmetric keys: the public half as published in the JWKS. */
  publicJwk?: JsonWebKey & { kid: string; alg: SigningAlgorithm; use: 'sig' };
}

const MIN_RSA_BITS = 2048;

/** A key id that names a secret without revealing anything about it. */
export const keyIdOf = (secret: string) =>
  createHash('sha256').update('tollgate:kid:').update(secret).digest('base64url').slice(0, 16);

// A key object, built once: given a string, jsonwebtoken first tries to read it as
// a PEM public key and builds a new key object on every sign and verify.
export function secretKey(secret: string): SigningKey {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return { kid: keyIdOf(secret), alg: 'HS256', signWith: key, verifyWith: key };
}

/** An ES256 (P-256) or RS256 (2048 bits or more) key from PEM; throws with a one-line reason otherwise. */
export function privateKey(pem: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('is not a readable PEM private key');
  }
  const alg = algorithmOf(key);
  const publicKey = createPublicKey(key);
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(jwk);
  return { kid, alg, signWith: key, verifyWith: publicKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS) return 'RS256';
  throw new Error(`must be an EC P-256 key (ES256) or an RSA key of at least ${MIN_RSA_BITS} bits (RS256)`);
}

/** RFC 7638: the SHA-256 of the key's required members, in order. */
function thumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** Every PEM block in `text`; `\n` written as two characters (as env files often do) counts as a newline. */
export function splitPemBlocks(text: string): string[] {
  return text.replace(/\\n/g, '\n').match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
}

/**
 * The ring in the order keys are tried for signing: private keys first (the
 * first one signs), then secrets. Every key verifies tokens that name it.
 */
export function buildKeyRing(options: { privateKeys?: readonly string[]; secrets?: readonly string[] }): SigningKey[] {
  return [...(options.privateKeys ?? []).map(privateKey), ...(options.secrets ?? []).map(secretKey)];
}
