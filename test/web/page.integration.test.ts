import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import { browserEnv, CHROMIUM, chromiumMissing, contrastProblems, unlabelled, waitInPage } from './support/browser.js';
import { startWebWorld, type WebWorld } from './support/web-world.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');
const missing = chromiumMissing();

describe('the web page in headless Chromium, against the daemon and the simulator', { skip: missing }, () => {
  let w: WebWorld;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    w = await startWebWorld();
    // An awake car, so its data arrives with the first poll after the login.
    w.sim.world.patchVehicle(DEMO_VIN, { asleep: false, userPresent: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, env: browserEnv() });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await w?.close();
  });

  const card = (address: string): ReturnType<Page['locator']> => page.locator(`article.device[data-device="${address}"]`);

  it('connects the account by clicking through the OAuth flow, and the car, site and Wall Connector appear', async () => {
    await page.goto(`${w.baseUrl}/`);
    assert.equal(await page.title(), 'teslahub');
    assert.match((await page.locator('#next-step').textContent()) ?? '', /Next step:/);
    assert.equal(await page.locator('article.device').count(), 0, 'no devices before the login');
    await page.getByRole('link', { name: 'Connect Tesla account' }).first().click();
    // Tesla's (simulated) consent answers at once; the callback stores the tokens and returns to /.
    await page.waitForURL(/\/\?connected=1$/, { timeout: 15_000 });
    await page.getByText('Your Tesla account is connected').waitFor();
    // From here on the page must update by itself: a reload would lose this mark.
    await page.evaluate('window.__noReload = true');
    await page.locator('body[data-live="open"]').waitFor({ timeout: 10_000 });
    for (const address of [`vehicle.${DEMO_VIN}`, `energy_site.${DEMO_SITE_ID}`]) await card(address).waitFor({ timeout: 15_000 });
    await page.locator('article.device[data-device^="wall_connector."]').waitFor({ timeout: 15_000 });
    const names = await page.locator('article.device h3').allTextContents();
    assert.equal(names.length, 3, names.join(' | '));
    // The car's values arrive live once it has been read.
    const battery = card(`vehicle.${DEMO_VIN}`).locator('td[data-entity="battery_level"]').first();
    await waitInPage(
      page,
      `(() => { const c = document.querySelector('article.device[data-device="vehicle.${DEMO_VIN}"] td[data-entity="battery_level"]'); return c && /%$/.test(c.textContent); })()`,
      15_000,
    );
    assert.match((await battery.textContent()) ?? '', /^\d+(\.\d+)? %$/);
    assert.equal(await page.evaluate('window.__noReload === true'), true);
  });

  it('changes the charge limit from the keyboard; the simulator receives it and the page shows it', async () => {
    const vehicle = w.sim.world.vehicle(DEMO_VIN);
    assert.ok(vehicle);
    const target = vehicle.state.chargeLimit === 64 ? 66 : 64;
    const inputId = `c-vehicle_${DEMO_VIN}-charge_limit`;
    // Keyboard only: Tab from the top of the page to the charge limit field.
    await page.evaluate('window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.className'), 'skip', 'the first stop is "Skip to content"');
    let reached = false;
    for (let i = 0; i < 300 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate('document.activeElement && document.activeElement.id')) === inputId;
    }
    assert.ok(reached, 'the charge limit field is reachable with Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(target));
    await page.keyboard.press('Enter');
    const result = card(`vehicle.${DEMO_VIN}`).locator('[data-result]');
    await waitInPage(
      page,
      `(() => /done/.test(document.querySelector('article.device[data-device="vehicle.${DEMO_VIN}"] [data-result]').textContent))()`,
      20_000,
    );
    assert.match((await result.textContent()) ?? '', new RegExp(`charge_limit = ${target}: done`));
    assert.equal(vehicle.state.chargeLimit, target, 'the simulator received the new limit');
    const cell = `article.device[data-device="vehicle.${DEMO_VIN}"] td[data-entity="charge_limit"]`;
    await waitInPage(page, `document.querySelector('${cell}').textContent === '${target} %'`, 10_000);

    // A change made at the car arrives by itself too.
    vehicle.state.chargeLimit = 90;
    w.daemon.bus.emit('device.refresh', { kind: 'vehicle', id: DEMO_VIN, reason: 'test' });
    await waitInPage(page, `document.querySelector('${cell}').textContent === '90 %'`, 15_000);
    const events = page.locator('#event-list');
    await waitInPage(page, `/charge_limit = ${target}/.test(document.getElementById('event-list').textContent)`, 10_000);
    assert.match((await events.textContent()) ?? '', /asked by web page/);
    assert.equal(await page.evaluate('window.__noReload === true'), true, 'all of it without a reload');
  });

  it('draws the spend chart, with the command counted', async () => {
    const chart = page.locator('#spend-chart');
    await chart.waitFor();
    assert.equal(await chart.getAttribute('role'), 'img');
    await waitInPage(page, `document.querySelectorAll('#spend-chart rect.bar[data-category="command"]').length > 0`, 15_000);
    assert.ok((await page.locator('#spend-chart rect.bar[data-category="data"]').count()) >= 1, 'vehicle_data calls');
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `the chart is drawn at a readable size: ${JSON.stringify(box)}`);
    assert.match((await page.locator('[data-money="spent"]').textContent()) ?? '', /^\$\d/);
  });

  it('is accessible: labels, contrast, language and a clean console; a screenshot is kept', async () => {
    assert.deepEqual(await unlabelled(page), []);
    assert.deepEqual(await contrastProblems(page), []);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('main#main').count(), 1);
    assert.deepEqual(problems, []);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'page.png'), fullPage: true });
  });
});
