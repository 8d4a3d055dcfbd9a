import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { issue, testPki } from '../../src/simulator/telemetry/pki.js';
import { nextStep, type StreamingCarRow } from '../../src/telemetry/card.js';
import { certificateFacts } from '../../src/telemetry/receiver/certificate-check.js';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

describe('the streaming card: certificate checks and the next step', () => {
  const pki = testPki(NOW, ['telemetry.example.com']);

  it('reads expiry, names, whether they cover the host name, and whether the chain is complete', () => {
    const facts = certificateFacts(pki.server.cert + pki.ca.cert, 'telemetry.example.com', NOW);
    assert.ok(facts);
    assert.deepEqual(facts.names, ['telemetry.example.com']);
    assert.equal(facts.coversHostname, true);
    assert.equal(facts.chainComplete, true);
    assert.equal(facts.daysLeft, 90);
    assert.equal(certificateFacts(pki.server.cert, 'telemetry.example.com', NOW)?.chainComplete, false, 'a bare leaf');
    assert.equal(certificateFacts(pki.server.cert + pki.ca.cert, 'other.example.com', NOW)?.coversHostname, false);
    assert.equal(certificateFacts(pki.server.cert + pki.ca.cert, 'telemetry.example.com', NOW + 100 * DAY)?.expired, true);
    const stranger = issue({ commonName: 'x', ca: true, notBefore: NOW, notAfter: NOW + DAY });
    assert.equal(certificateFacts(pki.server.cert + stranger.cert, 'telemetry.example.com', NOW)?.chainComplete, false, 'not issued by the next one');
    assert.equal(certificateFacts('no pem here', 'telemetry.example.com', NOW), undefined);
  });

  it('spells out the next step', () => {
    const config = configSchema.parse({
      telemetry: { enabled: true, hostname: 'telemetry.example.com', port: 443, receiver: { cert: 'c.pem', key: 'k.pem' } },
    }).telemetry;
    const listening = { listening: true, listen: '0.0.0.0:4443', refusals: {}, connections: [] };
    const good = certificateFacts(pki.server.cert + pki.ca.cert, 'telemetry.example.com', NOW);
    const car = (row: Partial<StreamingCarRow>): StreamingCarRow => ({
      vin: 'V1',
      configured: 'ok',
      configOk: true,
      synced: true,
      connected: false,
      lastMessageAt: undefined,
      heardAt: undefined,
      mode: 'poll',
      reason: '',
      ...row,
    });
    assert.match(
      nextStep(config, { ...listening, listening: false, problem: 'cannot read telemetry.receiver.cert' }, good, []),
      /^Fix the receiver so it can listen: cannot read/,
    );
    assert.match(nextStep(config, listening, certificateFacts(pki.server.cert + pki.ca.cert, 'telemetry.example.com', NOW + 100 * DAY), []), /expired/);
    assert.match(
      nextStep(config, listening, good, [car({ configOk: false, synced: undefined, configured: 'not checked yet' })]),
      /teslahub telemetry configure/,
    );
    assert.equal(
      nextStep(config, listening, good, [car({})]),
      "Forward TCP 443 on your router to this machine's port 4443; a car connects the next time it is awake.",
    );
    assert.equal(nextStep(config, listening, good, [car({ lastMessageAt: NOW, connected: true })]), 'Nothing to do: the cars stream.');
  });
});
