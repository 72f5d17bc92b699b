import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets kept at rest (second-factor secrets, mail waiting in
 * the outbox), with a key ring: the
 * first key encrypts, every key decrypts, so a key rotates by putting a new one
 * first and dropping the old once nothing uses it. A sealed value holds the id
 * of its key (8 bytes of the key's SHA-256), a 12-byte nonce, the 16-byte tag
 * and the ciphertext.
 */
export interface DataEncryption {
  seal(plain: Uint8Array): Uint8Array<ArrayBuffer>;
  open(sealed: Uint8Array): Buffer;
}

const ID_BYTES = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const keyId = (key: Uint8Array) => createHash('sha256').update(key).digest().subarray(0, ID_BYTES);

export function createDataEncryption(keys: readonly Buffer[]): DataEncryption {
  const [current] = keys;
  if (!current) throw new Error('createDataEncryption needs at least one key');
  const byId = new Map(keys.map((key) => [keyId(key).toString('hex'), key]));
  const currentId = keyId(current);
  return {
    seal(plain) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, nonce);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return new Uint8Array(Buffer.concat([currentId, nonce, cipher.getAuthTag(), body]));
    },
    open(sealed) {
      const bytes = Buffer.from(sealed);
      const key = byId.get(bytes.subarray(0, ID_BYTES).toString('hex'));
      if (!key) throw new Error('a secret is sealed with a key DATA_ENCRYPTION_KEY no longer holds');
      const nonce = bytes.subarray(ID_BYTES, ID_BYTES + NONCE_BYTES);
      const tag = bytes.subarray(ID_BYTES + NONCE_BYTES, ID_BYTES + NONCE_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(bytes.subarray(ID_BYTES + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
    },
  };
}
