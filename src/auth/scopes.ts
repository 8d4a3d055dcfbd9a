/** What each part of teslahub needs from the account, to say precisely what is missing. */
export const SCOPE_PURPOSE: Record<string, string> = {
  openid: 'signing in',
  offline_access: 'staying logged in (refresh tokens)',
  vehicle_device_data: 'reading vehicle data',
  vehicle_location: 'vehicle location',
  vehicle_cmds: 'vehicle commands',
  vehicle_charging_cmds: 'charging commands',
  energy_device_data: 'reading Powerwall, solar and Wall Connector data',
  energy_cmds: 'Powerwall settings',
  user_data: 'account profile',
};

export const REGRANT_STEPS =
  'on tesla.com go to Account > Security > Third-Party Apps and remove the app, then connect the account again from the teslahub web page (or "teslahub login") and allow every permission asked for';

export interface ScopeCheck {
  missing: string[];
  message: string | undefined;
}

/** Compares the scopes teslahub asks for (tesla.scopes) with those the account granted. */
export function checkScopes(wanted: readonly string[], granted: readonly string[]): ScopeCheck {
  const missing = wanted.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return { missing, message: undefined };
  const list = missing.map((scope) => `${scope} (${SCOPE_PURPOSE[scope] ?? scope})`).join(', ');
  return {
    missing,
    message: `the Tesla account did not grant ${list} (fix: ${REGRANT_STEPS})`,
  };
}
