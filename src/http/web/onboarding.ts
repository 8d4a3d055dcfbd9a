import { REGRANT_STEPS, SCOPE_PURPOSE } from '../../auth/scopes.js';
import { pairingLink, PUBLIC_KEY_URL_PATH } from '../../signing/keys.js';
import type { OnboardingSnapshot } from './onboarding-checks.js';
import type { VehiclePairing } from './providers.js';

export type StepStatus = 'done' | 'todo' | 'problem' | 'pending' | 'unknown' | 'blocked';

export interface StepItem {
  label: string;
  status: StepStatus;
  detail?: string;
}

export interface Step {
  id: 'app' | 'key' | 'hosting' | 'registration' | 'account' | 'scopes' | 'pairing';
  title: string;
  status: StepStatus;
  /** What is the case, in a sentence. */
  summary: string;
  /** What to do next, when the step is not done. */
  next?: string;
  action?: { href: string; label: string };
  items?: StepItem[];
  /** The pairing link (https://tesla.com/_ak/<domain>), for the link and its QR code. */
  link?: string;
}

export type AccountFacts = { kind: 'ok'; scopes: readonly string[] } | { kind: 'login_required'; reason: string } | { kind: 'logged_out' };

export interface VehicleFacts {
  name: string;
  vin: string;
  firmware: string | undefined;
  /** products' command_signing: "off", "allowed" or "required". */
  commandSigning: string | undefined;
  /** undefined when the daemon offers no pairing state (yet). */
  pairing: VehiclePairing | undefined;
}

export interface OnboardingFacts {
  appConfigured: boolean;
  domain: string | undefined;
  checks: OnboardingSnapshot;
  account: AccountFacts;
  wantedScopes: readonly string[];
  pairingAvailable: boolean;
  vehicles: readonly VehicleFacts[];
}

const LOGIN = { href: '/auth/login', label: 'Connect Tesla account' };

function appStep(f: OnboardingFacts): Step {
  return f.appConfigured
    ? { id: 'app', title: 'Tesla developer app', status: 'done', summary: 'Client id and client secret are configured.' }
    : {
        id: 'app',
        title: 'Tesla developer app',
        status: 'todo',
        summary: 'No client id and secret yet.',
        next: 'Create an application on developer.tesla.com, then set tesla.client_id and tesla.client_secret (as !secret) in config.yaml and restart teslahub.',
      };
}

function keyStep(f: OnboardingFacts): Step {
  const { key } = f.checks;
  return key.ok
    ? { id: 'key', title: 'Key pair', status: 'done', summary: `A P-256 key pair is present (public key ${key.hex.slice(0, 12)}…).` }
    : { id: 'key', title: 'Key pair', status: 'todo', summary: key.problem, next: key.fix ?? 'Run "teslahub keys generate".' };
}

function hostingStep(f: OnboardingFacts): Step {
  const title = 'Public key reachable at your domain';
  const hosting = f.checks.hosting;
  const serve = `Serve the public key there over HTTPS: copy keys/com.tesla.3p.public-key.pem to your web host, or forward ${PUBLIC_KEY_URL_PATH} to this server ("teslahub keys show" prints it).`;
  switch (hosting.state) {
    case 'ok':
      return { id: 'hosting', title, status: 'done', summary: `${hosting.url} serves this installation's key.` };
    case 'no_domain':
      return {
        id: 'hosting',
        title,
        status: 'todo',
        summary: 'No domain is configured.',
        next: "Set tesla.domain in config.yaml to the domain that is your app's allowed origin (host name only, e.g. tesla.example.com).",
      };
    case 'no_key':
      return { id: 'hosting', title, status: 'blocked', summary: 'There is no key to host yet.', next: 'Generate the key pair first.' };
    case 'checking':
      return { id: 'hosting', title, status: 'pending', summary: `Checking ${hosting.url} …` };
    case 'mismatch':
    case 'not_found':
    case 'unreachable':
      return { id: 'hosting', title, status: 'problem', summary: `${hosting.url}: ${hosting.detail}.`, next: serve };
  }
}

function registrationStep(f: OnboardingFacts): Step {
  const title = 'Partner registration with Tesla';
  const list = f.checks.registration;
  if (!f.appConfigured || !f.domain || !f.checks.key.ok) {
    return {
      id: 'registration',
      title,
      status: 'blocked',
      summary: 'Needs the app, the domain and the key pair first.',
      next: 'Finish the steps above, then run "teslahub register".',
    };
  }
  if (list.length === 0) return { id: 'registration', title, status: 'pending', summary: 'Asking Tesla …' };
  const items: StepItem[] = list.map((entry) => ({
    label: entry.label,
    status: entry.state === 'registered' ? 'done' : entry.state === 'not_registered' ? 'todo' : entry.state === 'other_key' ? 'problem' : 'unknown',
    detail: entry.state === 'registered' ? 'registered' : entry.state === 'not_registered' ? 'not registered' : (entry.detail ?? entry.state),
  }));
  const registered = list.filter((entry) => entry.state === 'registered').length;
  if (list.some((entry) => entry.state === 'other_key')) {
    return {
      id: 'registration',
      title,
      status: 'problem',
      summary: 'Tesla holds a different public key for this domain.',
      next: 'Host this installation\'s public key at your domain, then run "teslahub register" again.',
      items,
    };
  }
  if (registered === list.length)
    return {
      id: 'registration',
      title,
      status: 'done',
      summary: `Registered in ${registered === 1 ? 'the region' : `all ${registered} regions`} checked.`,
      items,
    };
  if (registered > 0)
    return {
      id: 'registration',
      title,
      status: 'done',
      summary: `Registered in ${registered} of ${list.length} regions (the one your account lives in is enough).`,
      items,
    };
  const unknown = list.every((entry) => entry.state === 'unknown');
  return {
    id: 'registration',
    title,
    status: unknown ? 'unknown' : 'todo',
    summary: unknown ? 'Tesla could not be asked.' : 'Not registered yet.',
    next: 'Run "teslahub register" (Tesla fetches the public key from your domain while registering).',
    items,
  };
}

function accountStep(f: OnboardingFacts): Step {
  const title = 'Tesla account connected';
  switch (f.account.kind) {
    case 'ok':
      return {
        id: 'account',
        title,
        status: 'done',
        summary: 'The account is connected; tokens refresh by themselves.',
        action: { href: '/auth/login', label: 'Connect again' },
      };
    case 'login_required':
      return { id: 'account', title, status: 'problem', summary: `Tesla needs you to log in again: ${f.account.reason}`, next: 'Log in again.', action: LOGIN };
    case 'logged_out':
      return f.appConfigured
        ? {
            id: 'account',
            title,
            status: 'todo',
            summary: 'No account is connected yet.',
            next: 'Connect your Tesla account and allow every permission asked for.',
            action: LOGIN,
          }
        : { id: 'account', title, status: 'blocked', summary: 'Needs the Tesla app first.', next: 'Configure the app above.' };
  }
}

function scopesStep(f: OnboardingFacts): Step {
  const title = 'Permissions granted';
  if (f.account.kind !== 'ok') return { id: 'scopes', title, status: 'blocked', summary: 'Known once the account is connected.' };
  const granted = f.account.scopes;
  const items: StepItem[] = f.wantedScopes.map((scope) => ({
    label: scope,
    status: granted.includes(scope) ? 'done' : 'problem',
    detail: `${SCOPE_PURPOSE[scope] ?? scope}: ${granted.includes(scope) ? 'granted' : 'not granted'}`,
  }));
  const missing = f.wantedScopes.filter((scope) => !granted.includes(scope));
  return missing.length === 0
    ? { id: 'scopes', title, status: 'done', summary: `All ${f.wantedScopes.length} permissions teslahub asks for are granted.`, items }
    : {
        id: 'scopes',
        title,
        status: 'problem',
        summary: `Missing: ${missing.join(', ')}.`,
        next: `To grant them: ${REGRANT_STEPS}.`,
        items,
        action: { href: '/auth/login', label: 'Connect again' },
      };
}

function pairingStep(f: OnboardingFacts): Step {
  const title = 'Virtual key paired with each car';
  const link = f.domain ? pairingLink(f.domain) : undefined;
  const items: StepItem[] = f.vehicles.map((v) => {
    const facts = [
      v.firmware ? `firmware ${v.firmware}` : 'firmware unknown',
      `command signing ${v.commandSigning ?? 'unknown'}`,
      ...(v.pairing?.mode ? [`commands sent ${v.pairing.mode}`] : []),
    ].join(', ');
    if (!f.pairingAvailable || !v.pairing) return { label: v.name, status: 'unknown', detail: `pairing state not available yet; ${facts}` };
    const status: StepStatus = v.pairing.paired === true ? 'done' : v.pairing.paired === false ? 'todo' : 'unknown';
    const word = v.pairing.paired === true ? 'key paired' : v.pairing.paired === false ? 'key not paired' : 'pairing not known yet';
    return { label: v.name, status, detail: `${word}${v.pairing.detail ? ` (${v.pairing.detail})` : ''}; ${facts}` };
  });
  const next = link
    ? `Open ${link} on the phone that has the Tesla app (or scan the QR code), pick the car and approve; then tap the key card on the car's console.`
    : 'Set tesla.domain first: the pairing link is made from it.';
  const base = { id: 'pairing' as const, title, items, ...(link ? { link } : {}) };
  if (f.vehicles.length === 0) return { ...base, status: f.account.kind === 'ok' ? 'pending' : 'blocked', summary: 'No car known yet.', next };
  if (!f.pairingAvailable) return { ...base, status: 'unknown', summary: 'This version cannot tell yet whether a car has the key.', next };
  const unpaired = items.filter((item) => item.status !== 'done').length;
  return unpaired === 0
    ? { ...base, status: 'done', summary: `Every car (${items.length}) has the key.` }
    : {
        ...base,
        status: items.some((item) => item.status === 'todo') ? 'todo' : 'unknown',
        summary: `${unpaired} of ${items.length} cars not confirmed paired.`,
        next,
      };
}

/** The checklist in order; the first step that is not done is the next thing to do. */
export function buildChecklist(facts: OnboardingFacts): Step[] {
  return [appStep(facts), keyStep(facts), hostingStep(facts), registrationStep(facts), accountStep(facts), scopesStep(facts), pairingStep(facts)];
}

/** The step to do next: the first one that is not done and not waiting on another. */
export function nextStep(steps: readonly Step[]): Step | undefined {
  return steps.find((step) => step.status === 'todo' || step.status === 'problem');
}
