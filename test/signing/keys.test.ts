import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { loadPrivateKey, loadPublicKeyPem, pairingLink, publicKeyPathFor, publicKeyUrl, writeKeyPair } from '../../src/signing/keys.js';
import { tempDir } from '../support/tmp.js';

let dir: string;
const cleanups: (() => Promise<void>)[] = [];

describe('fleet key pair', () => {
  beforeEach(async () => {
    const made = await tempDir();
    dir = made.dir;
    cleanups.push(made.cleanup);
  });
  after(() => Promise.all(cleanups.map((c) => c())));

  it("writes a P-256 pair: SEC1 private key at 0600, SPKI public key beside it under Tesla's name", async () => {
    const privatePath = join(dir, 'keys', 'private-key.pem');
    const written = await writeKeyPair(privatePath, false);
    assert.equal(written.publicKeyPath, join(dir, 'keys', 'com.tesla.3p.public-key.pem'));
    const privatePem = await readFile(privatePath, 'utf8');
    const publicPem = await readFile(written.publicKeyPath, 'utf8');
    assert.match(privatePem, /^-----BEGIN EC PRIVATE KEY-----\n/);
    assert.match(publicPem, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.equal((await stat(privatePath)).mode & 0o777, 0o600);
    const key = createPrivateKey(privatePem);
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(createPublicKey(key).export({ type: 'spki', format: 'pem' }), publicPem);
  });

  it('refuses to replace an existing key without force, and replaces it with force', async () => {
    const privatePath = join(dir, 'private-key.pem');
    await writeKeyPair(privatePath, false);
    const first = await readFile(privatePath, 'utf8');
    await assert.rejects(writeKeyPair(privatePath, false), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /already exists/);
      assert.match(error.fix ?? '', /--force/);
      return true;
    });
    assert.equal(await readFile(privatePath, 'utf8'), first, 'the old key is untouched');
    await writeKeyPair(privatePath, true);
    assert.notEqual(await readFile(privatePath, 'utf8'), first);
  });

  it('serves the public key derived from the private key, and notices a public key that does not match', async () => {
    const privatePath = join(dir, 'private-key.pem');
    await writeKeyPair(privatePath, false);
    const stored = await readFile(publicKeyPathFor(privatePath), 'utf8');
    assert.equal(await loadPublicKeyPem(privatePath), stored);
    await unlink(publicKeyPathFor(privatePath));
    assert.equal(await loadPublicKeyPem(privatePath), stored, 'derived when the file is missing');
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' });
    await writeFile(publicKeyPathFor(privatePath), other);
    await assert.rejects(loadPublicKeyPem(privatePath), /does not belong to the private key/);
  });

  it('rejects a key on another curve and a missing key with the command that fixes it', async () => {
    const p384 = join(dir, 'p384.pem');
    await writeFile(p384, generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'sec1', format: 'pem' }));
    await assert.rejects(loadPrivateKey(p384), /not an EC P-256/);
    await assert.rejects(loadPrivateKey(join(dir, 'none.pem')), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.fix ?? '', /teslahub keys generate/);
      return true;
    });
  });

  it('builds the hosting URL and pairing link from the domain', () => {
    assert.equal(publicKeyUrl('tesla.example.com'), 'https://tesla.example.com/.well-known/appspecific/com.tesla.3p.public-key.pem');
    assert.equal(pairingLink('tesla.example.com'), 'https://tesla.com/_ak/tesla.example.com');
  });
});
