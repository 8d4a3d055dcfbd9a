import { existsSync } from 'node:fs';
import { registerInRegion } from '../../auth/partner.js';
import { UserError } from '../../core/errors.js';
import { REGION_BASE_URLS, type Region } from '../../fleet/region.js';
import { createHttpTransport } from '../../fleet/transport.js';
import { loadPublicKeyPem, publicKeyHex, publicKeyUrl } from '../../signing/keys.js';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { openAccount } from '../account-context.js';
import { loadCliConfig } from '../config-context.js';
import { EXIT_OK, EXIT_USER_ERROR, println } from '../io.js';

export const registerCommand: Command = {
  name: 'register',
  summary: "register the app's domain with Tesla (partner account) per region",
  usage: `Usage: teslahub register [--region na|eu|cn|all] [--config FILE]

Registers tesla.domain with the Fleet API in each region, as Tesla requires before an app can
call it there. Tesla fetches the public key from https://<domain>/.well-known/appspecific/
com.tesla.3p.public-key.pem while registering, so host it first ("teslahub keys show").
Default regions: the configured tesla.region, or North America and Europe when it is auto;
"all" adds China. Exit code 0 when at least one region succeeded.`,
  options: { region: { type: 'string' } },
  async run(args, io) {
    const { loaded } = loadCliConfig(io, stringOption(args, 'config'), { requireFile: false });
    const { tesla } = loaded.config;
    if (!tesla.domain) throw new UserError('tesla.domain is not set', 'set it to the domain that is the allowed origin of your app on developer.tesla.com');
    if (!existsSync(tesla.private_key))
      throw new UserError(`no key pair at ${tesla.private_key}`, 'run "teslahub keys generate" and host the public key first');
    const account = await openAccount(loaded.config, io, loaded.secrets);
    if (!account.auth.oauth) throw new UserError('the Tesla app is not configured', 'set tesla.client_id and tesla.client_secret in config.yaml');
    const keyHex = publicKeyHex(await loadPublicKeyPem(tesla.private_key));
    const baseUrls = regionsToRegister(stringOption(args, 'region'), tesla.region, tesla.api_base_url);
    const { transport, close } = createHttpTransport();
    try {
      println(io.stdout, `Registering ${tesla.domain}; Tesla will fetch ${publicKeyUrl(tesla.domain)}`);
      let succeeded = 0;
      for (const baseUrl of baseUrls) {
        const result = await registerInRegion({ oauth: account.auth.oauth, transport, baseUrl, domain: tesla.domain, publicKeyHex: keyHex });
        if (result.ok) succeeded++;
        println(io.stdout, `${result.ok ? 'ok  ' : 'FAIL'} ${result.message}`);
        if (result.fix) println(io.stdout, `     fix: ${result.fix}`);
      }
      if (succeeded === 0) {
        println(io.stderr, 'teslahub register: no region accepted the registration (see above)');
        return EXIT_USER_ERROR;
      }
      println(io.stdout, `\nNext: pair the key with each car at https://tesla.com/_ak/${tesla.domain}`);
      return EXIT_OK;
    } finally {
      await close();
    }
  },
};

function regionsToRegister(option: string | undefined, configured: 'auto' | Region, override: string | undefined): string[] {
  if (override && option === undefined) return [override.replace(/\/+$/, '')];
  switch (option) {
    case undefined:
      return configured === 'auto' ? [REGION_BASE_URLS.na, REGION_BASE_URLS.eu] : [REGION_BASE_URLS[configured]];
    case 'all':
      return [REGION_BASE_URLS.na, REGION_BASE_URLS.eu, REGION_BASE_URLS.cn];
    case 'na':
    case 'eu':
    case 'cn':
      return [REGION_BASE_URLS[option]];
    default:
      throw new UserError(`unknown region "${option}"`, 'use --region na, eu, cn or all');
  }
}
