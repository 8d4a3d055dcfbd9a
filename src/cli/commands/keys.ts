import { UserError } from '../../core/errors.js';
import { loadPublicKeyPem, pairingLink, publicKeyPathFor, publicKeyUrl, writeKeyPair } from '../../signing/keys.js';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { loadCliConfig, relativeTo } from '../config-context.js';
import { EXIT_OK, println } from '../io.js';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'generate or show the key pair that signs vehicle commands',
  usage: `Usage: teslahub keys generate [--force] [--config FILE]
       teslahub keys show [--config FILE]

generate  writes a new EC P-256 key pair: the private key to tesla.private_key (default
          keys/private-key.pem, mode 0600) and the public key beside it as
          com.tesla.3p.public-key.pem. Refuses to replace an existing key unless --force:
          cars paired with the old key stop accepting commands until paired again.
show      prints the public key, the URL where Tesla expects to find it, and the link that
          pairs it with a car.`,
  options: { force: { type: 'boolean' } },
  async run(args, io) {
    const [action] = args.positionals;
    const { loaded } = loadCliConfig(io, stringOption(args, 'config'), { requireFile: false });
    const { tesla } = loaded.config;
    const rel = (file: string): string => relativeTo(io.cwd, file);
    switch (action) {
      case 'generate': {
        const written = await writeKeyPair(tesla.private_key, args.values.force === true);
        println(io.stdout, `private key: ${rel(written.privateKeyPath)} (mode 0600; never share it, never commit it)`);
        println(io.stdout, `public key:  ${rel(written.publicKeyPath)}`);
        println(io.stdout);
        printHosting(io.stdout, tesla.domain);
        return EXIT_OK;
      }
      case 'show': {
        const pem = await loadPublicKeyPem(tesla.private_key);
        io.stdout.write(pem.endsWith('\n') ? pem : `${pem}\n`);
        println(io.stdout, `file: ${rel(publicKeyPathFor(tesla.private_key))}`);
        printHosting(io.stdout, tesla.domain);
        return EXIT_OK;
      }
      default:
        throw new UserError(
          action === undefined ? 'keys needs an action' : `unknown keys action "${action}"`,
          'use "teslahub keys generate" or "teslahub keys show"',
        );
    }
  },
};

function printHosting(out: NodeJS.WritableStream, domain: string | undefined): void {
  if (!domain) {
    println(out, 'Set tesla.domain in config.yaml to see where the public key must be hosted and the pairing link.');
    return;
  }
  println(out, `host it at:  ${publicKeyUrl(domain)}`);
  println(out, '             (teslahub serves it at that path itself if this server is reachable as your domain)');
  println(out, `pair a car:  ${pairingLink(domain)}  (open on the phone with the Tesla app, near the car)`);
}
