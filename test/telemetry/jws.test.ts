import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { p256 } from '@noble/curves/nist.js';
import { canonicalJson, issuerOf, privateScalarOf, signTeslaJws, TELEMETRY_AUDIENCE, verifyTeslaJws } from '../../src/telemetry/jws.js';
import { deterministicNonce, publicKeyOf, scalarToBytes, schnorrSign, schnorrVerify, sha256 } from '../../src/telemetry/schnorr.js';

// Known answers published in teslamotors/vehicle-command (Tesla.SS256): test data, not code.
const KAT_SCALAR = 3n << 248n; // 32 bytes 03 00 … 00
const KAT_SIGNATURE =
  '7cfdbeb5baa730540401550bdefa20976453e8539ae4b2f26ce33125801a08f90ed20c3d846497ff82cc9772e3db4703982f47bd0b0b89dfb9a49cd2e524054602b1e05fbf95f5686faea7a5809eb92f5ecc22eae74ceccc5e2a65dd67ff20fc';
const TESLA_TOKEN_KEY = Buffer.from(
  '04775e2ef570d292df424c09f70e7d95678d5ce78124acb3f9375b198a4da9f9e9f0cc6d880e2e606e9b01b0fa62c6150e371aa5d8f7f09cc9e1bd3a1b449893ec',
  'hex',
);
const TESLA_TOKEN =
  'eyJhbGciOiJUZXNsYS5TUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJjb20udGVzbGEudmVoaWNsZS5NM1RFUkFTSElNQUJVQ0swMSIsImZvbyI6ImJhciIsImlzcyI6IkJIZGVMdlZ3MHBMZlFrd0o5dzU5bFdlTlhPZUJKS3l6K1RkYkdZcE5xZm5wOE14dGlBNHVZRzZiQWJENllzWVZEamNhcGRqMzhKeko0YjA2RzBTWWsrdz0ifQ.4Xq2tsynDYOhLBWpnqLJfsAzdOqTOwHkVowI47A-yzVXIQHaawObJvAYRoRs61oVwWiEQ7XYXG8WE_Vz_49eVirAV9NGKymj3HBTTjN5DmViWmFzfaIOXRWKJlE--vzU';

function freshKey() {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

describe('Tesla.SS256: Schnorr over P-256', () => {
  it("reproduces Tesla's known-answer signature bit for bit (deterministic nonce)", () => {
    const signature = schnorrSign(KAT_SCALAR, Buffer.from('hello world'));
    assert.equal(signature.toString('hex'), KAT_SIGNATURE);
    assert.equal(schnorrVerify(publicKeyOf(KAT_SCALAR), Buffer.from('hello world'), signature), true);
  });

  it('rejects a changed message, another key, a nonce off the curve, a changed r and a short signature', () => {
    const signature = Buffer.from(KAT_SIGNATURE, 'hex');
    const key = publicKeyOf(KAT_SCALAR);
    assert.equal(schnorrVerify(key, Buffer.from('hello world!'), signature), false);
    assert.equal(schnorrVerify(publicKeyOf(4n << 248n), Buffer.from('hello world'), signature), false);
    for (const index of [0, 32, 95]) {
      const bad = Buffer.from(signature);
      bad[index]! ^= 1;
      assert.equal(schnorrVerify(key, Buffer.from('hello world'), bad), false, `byte ${index} flipped`);
    }
    assert.equal(schnorrVerify(key, Buffer.from('hello world'), signature.subarray(0, 95)), false);
    const offCurve = Buffer.from(key);
    offCurve[1]! ^= 1;
    assert.equal(schnorrVerify(offCurve, Buffer.from('hello world'), signature), false);
  });

  it('derives the RFC 6979 nonce in range and from the key and digest only', () => {
    const digest = sha256(Buffer.from('x'));
    const k = deterministicNonce(KAT_SCALAR, digest);
    assert.ok(k > 0n && k < p256.Point.Fn.ORDER);
    assert.equal(deterministicNonce(KAT_SCALAR, digest), k);
    assert.notEqual(deterministicNonce(KAT_SCALAR + 1n, digest), k);
  });

  it('signs and verifies random messages with random keys (property)', () => {
    for (let i = 0; i < 25; i += 1) {
      const scalar = privateScalarOf(freshKey());
      const message = randomBytes(1 + ((i * 37) % 300));
      const signature = schnorrSign(scalar, message);
      assert.equal(schnorrVerify(publicKeyOf(scalar), message, signature), true);
      const tampered = Buffer.from(message);
      tampered[0]! ^= 0x80;
      assert.equal(schnorrVerify(publicKeyOf(scalar), tampered, signature), false);
    }
  });
});

describe('Tesla.SS256 JWS', () => {
  it("verifies Tesla's published token with its key", () => {
    const check = verifyTeslaJws(TESLA_TOKEN, { trustedKeys: [TESLA_TOKEN_KEY] });
    assert.equal(check.ok, true, JSON.stringify(check));
    if (check.ok) assert.equal(check.claims.foo, 'bar');
  });

  it('signs a telemetry config with iss = base64 of the public key and the fleet audience, sorted, unpadded', () => {
    const key = freshKey();
    const token = signTeslaJws(key, {
      hostname: 'telemetry.example.org',
      port: 4443,
      fields: { Soc: { interval_seconds: 60 } },
      aud: 'ignored',
      iss: 'ignored',
    });
    assert.doesNotMatch(token, /[=+/]/);
    const [header, payload] = token.split('.') as [string, string];
    assert.equal(Buffer.from(header, 'base64url').toString(), '{"alg":"Tesla.SS256","typ":"JWT"}');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims.aud, TELEMETRY_AUDIENCE);
    const publicKey = publicKeyOf(privateScalarOf(key));
    assert.equal(claims.iss, issuerOf(publicKey));
    assert.deepEqual(Object.keys(claims), ['aud', 'fields', 'hostname', 'iss', 'port']);
    const check = verifyTeslaJws(token, { trustedKeys: [publicKey], audience: TELEMETRY_AUDIENCE });
    assert.equal(check.ok, true);
  });

  it('refuses a token signed by another key, with a wrong aud, expired, tampered, or with another algorithm', () => {
    const registered = freshKey();
    const registeredPublic = publicKeyOf(privateScalarOf(registered));
    const other = signTeslaJws(freshKey(), { hostname: 'h' });
    assert.deepEqual(pick(verifyTeslaJws(other, { trustedKeys: [registeredPublic] })), 'unknown_key');
    const vehicleAud = signTeslaJws(registered, { hostname: 'h' }, 'com.tesla.vehicle.5YJ3TEST000000001.TelemetryClient');
    assert.equal(pick(verifyTeslaJws(vehicleAud, { audience: TELEMETRY_AUDIENCE })), 'wrong_audience');
    const expired = signTeslaJws(registered, { hostname: 'h', exp: 1000 });
    assert.equal(pick(verifyTeslaJws(expired, { nowS: 2000 })), 'expired');
    const good = signTeslaJws(registered, { hostname: 'h' });
    const [h, , s] = good.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(canonicalJson({ aud: TELEMETRY_AUDIENCE, hostname: 'evil', iss: issuerOf(registeredPublic) })).toString('base64url')}.${s}`;
    assert.equal(pick(verifyTeslaJws(forged)), 'bad_signature');
    const es256 = `${Buffer.from('{"alg":"ES256","typ":"JWT"}').toString('base64url')}.${good.split('.')[1]}.${s}`;
    assert.equal(pick(verifyTeslaJws(es256)), 'wrong_algorithm');
    assert.equal(pick(verifyTeslaJws('not-a-token')), 'malformed');
  });

  it("reads the private scalar from a PEM key as Tesla's tools write it", () => {
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${Buffer.concat([Buffer.from('30770201010420', 'hex'), scalarToBytes(KAT_SCALAR), Buffer.from('a00a06082a8648ce3d030107a144034200', 'hex'), publicKeyOf(KAT_SCALAR)]).toString('base64')}\n-----END EC PRIVATE KEY-----\n`;
    assert.equal(privateScalarOf(createPrivateKey(pem)), KAT_SCALAR);
  });
});

function pick(check: ReturnType<typeof verifyTeslaJws>): string {
  return check.ok ? 'ok' : check.reason;
}
