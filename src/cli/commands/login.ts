import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { checkScopes } from '../../auth/scopes.js';
import { errnoCode, UserError } from '../../core/errors.js';
import type { TokenSet } from '../../storage/token-store.js';
import type { Command } from '../args.js';
import { stringOption } from '../args.js';
import { openAccount } from '../account-context.js';
import { loadCliConfig } from '../config-context.js';
import { EXIT_OK, println } from '../io.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const WAIT_MS = 10 * 60_000;

export const loginCommand: Command = {
  name: 'login',
  summary: 'connect a Tesla account from a terminal',
  usage: `Usage: teslahub login [--config FILE]

Prints the Tesla login URL. Open it in a browser and log in. When the redirect URI
(tesla.redirect_uri, default http://localhost:<http.port>/auth/callback) points at this machine
and its port is free, the login completes by itself; otherwise paste the address the browser
ends up on. The tokens are saved to data_dir (mode 0600). If the daemon is running, log in on
its web page instead, or restart it after this command.`,
  options: {},
  async run(args, io) {
    const { loaded } = loadCliConfig(io, stringOption(args, 'config'), { requireFile: false });
    const account = await openAccount(loaded.config, io, loaded.secrets);
    const { login, tokens } = account.auth;
    if (!login) {
      throw new UserError('the Tesla app is not configured', 'set tesla.client_id and tesla.client_secret in config.yaml (from developer.tesla.com)');
    }
    const redirect = new URL(account.auth.redirectUri());
    const url = await login.begin();
    let query: URLSearchParams;
    const listener = LOOPBACK.has(redirect.hostname) && redirect.protocol === 'http:' ? await listen(redirect) : undefined;
    if (listener && 'server' in listener) {
      println(io.stdout, 'Open this address in a browser on this machine and log in to Tesla:');
      println(io.stdout, `\n  ${url.toString()}\n`);
      println(io.stdout, `Waiting for Tesla to send the browser back to ${redirect.origin}${redirect.pathname} ...`);
      query = await listener.callback;
    } else {
      if (listener) println(io.stdout, `(${listener.busy})`);
      println(io.stdout, 'Open this address in a browser and log in to Tesla:');
      println(io.stdout, `\n  ${url.toString()}\n`);
      println(io.stdout, `Tesla then sends the browser to ${redirect.origin}${redirect.pathname}?code=...`);
      println(io.stdout, 'That page may not load; copy the whole address from the address bar and paste it here:');
      query = await pasted(io);
    }
    const tokenSet: TokenSet = await login.complete(query);
    await tokens.adopt(tokenSet);
    println(
      io.stdout,
      `\nLogged in. Tokens saved to ${loaded.config.data_dir} (valid until ${new Date(tokenSet.expires_at).toISOString()}, refreshed by the daemon).`,
    );
    const scopes = checkScopes(loaded.config.tesla.scopes, tokenSet.scopes);
    if (scopes.message) println(io.stdout, `warning: ${scopes.message}`);
    return EXIT_OK;
  },
};

type Listener = { server: Server; callback: Promise<URLSearchParams> } | { busy: string };

/** Serves the redirect URI's path once, on its port; reports when the port is taken instead. */
async function listen(redirect: URL): Promise<Listener> {
  const port = Number(redirect.port || 80);
  let resolveCallback: (query: URLSearchParams) => void = () => undefined;
  const callback = new Promise<URLSearchParams>((resolve) => (resolveCallback = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirect.origin);
    if (url.pathname !== redirect.pathname) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('teslahub received the login. You can close this tab and return to the terminal.\n');
    resolveCallback(url.searchParams);
  });
  const outcome = await new Promise<'ok' | string>((resolve) => {
    server.once('error', (error) => resolve(errnoCode(error) ?? String(error)));
    server.listen(port, redirect.hostname === '[::1]' ? '::1' : redirect.hostname, () => resolve('ok'));
  });
  if (outcome !== 'ok') {
    return {
      busy:
        outcome === 'EADDRINUSE'
          ? `port ${port} is in use, probably by a running teslahub: you can also log in on its web page at ${redirect.origin}/auth/login`
          : `cannot listen on ${redirect.host} (${outcome})`,
    };
  }
  const timeout = setTimeout(() => server.close(), WAIT_MS);
  timeout.unref();
  return {
    server,
    callback: callback.finally(() => {
      clearTimeout(timeout);
      server.close();
      server.closeAllConnections();
    }),
  };
}

async function pasted(io: { stdin?: NodeJS.ReadableStream }): Promise<URLSearchParams> {
  const input = io.stdin ?? process.stdin;
  const rl = createInterface({ input });
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (text === '') continue;
      try {
        return new URL(text).searchParams;
      } catch {
        if (text.includes('code=')) return new URLSearchParams(text.slice(text.indexOf('?') + 1));
        throw new UserError('that is not the address the browser was sent to', 'copy the complete address, starting with http, from the address bar');
      }
    }
  } finally {
    rl.close();
  }
  throw new UserError('no address was pasted', 'run "teslahub login" again and paste the address from the browser');
}
