import { checkScopes } from '../../auth/scopes.js';
import { PRICE_USD } from '../../fleet/pricing.js';
import { UsageLedger } from '../../storage/usage-ledger.js';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { openAccount } from '../account-context.js';
import { loadCliConfig } from '../config-context.js';
import { EXIT_OK, println } from '../io.js';

export const statusCommand: Command = {
  name: 'status',
  summary: "show the account, its token and scopes, and this month's API spend",
  usage: `Usage: teslahub status [--config FILE]

Reads the daemon's files (it does not need the daemon to run, and never refreshes tokens):
the connected Tesla account, token expiry and granted scopes, the Fleet API base URL, and the
API calls billed this month with their cost against budget.monthly_usd.`,
  options: {},
  async run(args, io) {
    const { loaded } = loadCliConfig(io, stringOption(args, 'config'), { requireFile: false });
    const { config } = loaded;
    const account = await openAccount(config, io, loaded.secrets);
    const state = account.auth.tokens.state();
    const now = account.clock.now();
    switch (state.kind) {
      case 'ok': {
        const left = state.expiresAt - now;
        println(io.stdout, `account:   connected${state.sub ? ` (${state.sub})` : ''}`);
        println(io.stdout, `token:     ${left > 0 ? `valid for ${Math.round(left / 60_000)} more minutes` : 'expired; the daemon refreshes it when it runs'}`);
        println(io.stdout, `scopes:    ${state.scopes.join(' ') || '(none)'}`);
        const scopes = checkScopes(config.tesla.scopes, state.scopes);
        if (scopes.message) println(io.stdout, `warning:   ${scopes.message}`);
        break;
      }
      case 'login_required':
        println(io.stdout, `account:   LOG IN AGAIN (${state.reason}) since ${new Date(state.since).toISOString()}`);
        break;
      case 'logged_out':
        println(io.stdout, 'account:   not connected (run "teslahub login" or use the web page)');
        break;
    }
    println(io.stdout, `fleet api: ${account.region.baseUrl()}${account.region.known ? '' : ' (not yet confirmed by Tesla)'}`);
    const ledger = await UsageLedger.open(config.data_dir, account.log, account.clock);
    const month = ledger.month();
    const { counts } = month;
    println(io.stdout, `spend:     $${month.usd.toFixed(2)} of $${config.budget.monthly_usd.toFixed(2)} in ${month.month} (UTC)`);
    println(
      io.stdout,
      `           ${counts.data} data ($${(counts.data * PRICE_USD.data).toFixed(2)}), ${counts.command} commands ($${(counts.command * PRICE_USD.command).toFixed(2)}), ${counts.wake} wakes ($${(counts.wake * PRICE_USD.wake).toFixed(2)}), ${counts.signal} streamed signals`,
    );
    if (!account.auth.settings) println(io.stdout, 'note:      the Tesla app is not configured (set tesla.client_id and tesla.client_secret in config.yaml)');
    return EXIT_OK;
  },
};
