import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carIdentity } from '../../src/telemetry/receiver/identity.js';

const VIN = '5YJ3E1EA0PF000001';

describe("the car a verified client certificate identifies (Tesla's issuer and device-type rules)", () => {
  it('accepts a car from the issuers that issue car certificates directly', () => {
    for (const issuer of ['Tesla Issuing CA', 'TeslaMotors', 'Tesla Motors Products CA']) {
      assert.deepEqual(carIdentity({ issuer: { CN: issuer }, subject: { CN: VIN } }), { ok: true, vin: VIN, deviceType: 'vehicle_device' });
    }
  });

  it('refuses an issuer Tesla does not issue device certificates from, and an issuer without a CN', () => {
    const refused = carIdentity({ issuer: { CN: 'Example Corp Device CA' }, subject: { CN: VIN } });
    assert.deepEqual(refused, { ok: false, cause: 'unknown_issuer', detail: 'issuer "Example Corp Device CA"' });
    assert.equal(carIdentity({ issuer: { O: 'Tesla' }, subject: { CN: VIN } }).ok, false);
    assert.equal(carIdentity({ issuer: 'Tesla Issuing CA', subject: { CN: VIN } }).ok, false);
  });

  it('a Tesla Motors Products CA certificate with OU "Tesla Motors SN" is a car\'s board, not a car', () => {
    const board = carIdentity({ issuer: { CN: 'Tesla Motors Products CA' }, subject: { CN: VIN, OU: ['Tesla Motors SN', 'x'] } });
    assert.deepEqual(board, { ok: false, cause: 'not_a_vehicle', detail: 'vehicle_board_device' });
  });

  it('product-issuing CAs: the device type comes from the extended key usage OID, the OU can override it', () => {
    const issuer = { CN: 'Tesla Motors Product Issuing CA' };
    const car = (oids: unknown, OU?: unknown) => carIdentity({ issuer, subject: { CN: VIN, ...(OU === undefined ? {} : { OU }) }, ext_key_usage: oids });
    assert.equal(car(['1.3.6.1.5.5.7.3.2', '1.3.6.1.4.1.49279.2.5.1']).ok, true);
    assert.equal(car(['1.3.6.1.4.1.49279.2.4.1']).ok, true);
    assert.deepEqual(car(['1.3.6.1.4.1.49279.2.5.2']), { ok: false, cause: 'not_a_vehicle', detail: 'energy_device' });
    assert.deepEqual(car(['1.3.6.1.4.1.49279.2.5.1'], 'Gen3 Wall Connector'), { ok: false, cause: 'not_a_vehicle', detail: 'wall_connector_device' });
    // The car's Wi-Fi (EAP) certificate is never an identity.
    assert.deepEqual(car(['1.3.6.1.4.1.49279.2.5.1.1', '1.3.6.1.4.1.49279.2.5.1']), { ok: false, cause: 'not_a_vehicle', detail: 'a Wi-Fi (EAP) certificate' });
    // No device OID at all: refused like an unknown issuer.
    assert.equal(car(['1.3.6.1.5.5.7.3.2']).ok, false);
    assert.equal(car(undefined).ok, false);
    assert.equal(car('1.3.6.1.4.1.49279.2.5.1').ok, true);
  });

  it('the VIN is the subject CN with "." turned into "-"; a CN that is not one is refused', () => {
    const got = carIdentity({ issuer: { CN: 'Tesla Issuing CA' }, subject: { CN: 'device.123' } });
    assert.deepEqual(got, { ok: true, vin: 'device-123', deviceType: 'vehicle_device' });
    assert.equal(carIdentity({ issuer: { CN: 'Tesla Issuing CA' }, subject: { CN: 'a b/c' } }).ok, false);
    assert.equal(carIdentity({ issuer: { CN: 'Tesla Issuing CA' }, subject: {} }).ok, false);
  });
});
