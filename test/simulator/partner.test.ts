import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, type Region, type Simulator } from '../../src/simulator/index.js';
import { Api, startSim } from './support.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const jwk = ec.publicKey.export({ format: 'jwk' });
const HEX = `04${Buffer.from(jwk.x ?? '', 'base64url').toString('hex')}${Buffer.from(jwk.y ?? '', 'base64url').toString('hex')}`;

async function partnerApi(sim: Simulator, region: Region): Promise<Api> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    audience: sim.regionBaseUrl(region),
  });
  const answer = (await fetch(`${sim.authBaseUrl}/oauth2/v3/token`, { method: 'POST', body: form }).then((r) => r.json())) as { access_token: string };
  return new Api(sim.regionBaseUrl(region), answer.access_token);
}

describe('partner registration (real HTTP)', () => {
  it('registers a domain after fetching its P-256 key, answers the hex point, and lifts the 412', async () => {
    const fetched: string[] = [];
    const keys: Record<string, string> = {
      'tesla.example.com': PEM,
      'rsa.example.com': generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const { sim, api } = await startSim({
      fetchPublicKey: async (domain) => {
        fetched.push(domain);
        return keys[domain];
      },
    });
    try {
      sim.setRegistered('eu', false);
      sim.setAccountRegion('eu');
      assert.equal((await api.get('/eu/api/1/users/region')).status, 412);
      const eu = await partnerApi(sim, 'eu');
      const registered = await eu.post('/api/1/partner_accounts', { domain: 'tesla.example.com' });
      assert.equal(registered.status, 200, JSON.stringify(registered.body));
      assert.equal(registered.body.response.public_key, HEX);
      assert.equal(registered.body.response.domain, 'tesla.example.com');
      assert.equal(registered.body.response.client_id, DEMO_CLIENT_ID);
      assert.deepEqual(fetched, ['tesla.example.com']);
      assert.equal((await api.get('/eu/api/1/users/region')).status, 200, 'registered now');
      assert.deepEqual((await eu.get('/api/1/partner_accounts/public_key?domain=tesla.example.com')).body, { response: { public_key: HEX } });
      assert.equal((await eu.get('/api/1/partner_accounts/public_key?domain=other.example.com')).status, 404);

      for (const domain of ['https://tesla.example.com', 'Tesla.Example.com', 'tesla.example.com/path', '']) {
        const bad = await eu.post('/api/1/partner_accounts', { domain });
        assert.equal(bad.status, 400, domain);
        assert.match(bad.body.error, /^Invalid domain/);
      }
      const missing = await eu.post('/api/1/partner_accounts', { domain: 'nokey.example.com' });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error, /public key/i);
      const rsa = await eu.post('/api/1/partner_accounts', { domain: 'rsa.example.com' });
      assert.equal(rsa.status, 400);
      assert.match(rsa.body.error, /public key.*prime256v1/i);

      const wrongRegion = new Api(sim.regionBaseUrl('na'), eu.token);
      assert.equal((await wrongRegion.post('/api/1/partner_accounts', { domain: 'tesla.example.com' })).status, 421);
    } finally {
      await sim.stop();
    }
  });

  it('fetches the key over HTTP by default, from http://<domain>/.well-known/appspecific/com.tesla.3p.public-key.pem', async () => {
    const seen: string[] = [];
    const keyServer = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/x-pem-file' });
      res.end(PEM);
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const { sim } = await startSim();
    try {
      const domain = `127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
      const na = await partnerApi(sim, 'na');
      const answer = await na.post('/api/1/partner_accounts', { domain });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.response.public_key, HEX);
      assert.deepEqual(seen, ['/.well-known/appspecific/com.tesla.3p.public-key.pem']);
    } finally {
      await sim.stop();
      await new Promise((resolve) => keyServer.close(resolve));
    }
  });
});
