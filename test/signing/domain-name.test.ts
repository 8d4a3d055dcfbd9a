import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainName } from '../../src/signing/domain-name.js';
import { Domain } from '../../src/signing/vcp-enums.js';

describe('domainName', () => {
  it('names the domains by the numbers of the generated enum', () => {
    assert.equal(domainName(Domain.VEHICLE_SECURITY), 'vehicle_security');
    assert.equal(domainName(Domain.INFOTAINMENT), 'infotainment');
  });

  it('names any other number as a number', () => {
    assert.equal(domainName(Domain.BROADCAST), `domain ${Domain.BROADCAST}`);
    assert.equal(domainName(99), 'domain 99');
  });
});
