// Three parties on the floor: a customer in the widget, an agent in the desktop
// app and a supervisor in a second desktop app (each with the real Go side, on
// one real server). The supervisor watches the floor, monitors the agent's
// conversation with draft peek, whispers to the agent (who sees it; the
// customer never does), takes over and replies (the customer sees that).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, startDesktopDev, startDesktopTwin, launchBrowser, stopAll, shot, removeDir,
} from './harness.mjs';

let server, agentApp, supervisorApp, browser;

before(async () => {
  [server, agentApp] = await Promise.all([startServer(), startDesktopDev()]);
  supervisorApp = await startDesktopTwin('desktop-supervisor');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll();
  if (server) removeDir(server.data);
  for (const app of [agentApp, supervisorApp]) {
    if (!app) continue;
    removeDir(app.config);
    removeDir(app.downloads);
  }
});

async function signIn(page, app, username) {
  await page.goto(app.url);
  await page.getByTestId('signin-server').fill(server.url);
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill('switchboard-demo');
  await page.getByTestId('signin-submit').click();
  await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: 20_000 });
}

const WHISPER = 'Offer the 10% coupon, code SPRUCE10';
const DRAFT = 'Let me look up the refund policy for you';
const TAKEOVER = "Hi, I'm Sam, the team lead: I'll take it from here.";

test('the supervisor watches the floor, monitors with draft peek, whispers, takes over and replies', async () => {
  const ctx = () => browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const customer = await (await ctx()).newPage();
  const agent = await (await ctx()).newPage();
  const sup = await (await ctx()).newPage();
  for (const [name, page] of [['customer', customer], ['agent', agent], ['supervisor', sup]]) {
    page.on('pageerror', (err) => console.error(`[${name} page error]`, err.stack));
  }

  // Sam, the supervisor, signs in, goes away (no offers for him) and opens the floor.
  await signIn(sup, supervisorApp, 'sam');
  await sup.getByTestId('status-switch').selectOption('away');
  await sup.locator('[data-testid="status-switch"][data-status="away"]').waitFor({ timeout: 15_000 });
  await sup.getByTestId('view-floor').click();
  const presales = sup.locator('[data-testid="floor-team"][data-team="presales"]');
  await presales.waitFor({ timeout: 15_000 });

  // Alice, an agent of presales, signs in: the floor shows her online, live.
  await signIn(agent, agentApp, 'alice');
  const aliceRow = sup.locator('[data-testid="floor-agent"]', { hasText: 'Alice' });
  await aliceRow.waitFor({ timeout: 15_000 });

  // The customer asks for a person; Alice is offered the conversation and accepts
  // from the banner shown above whatever she is looking at.
  await customer.goto(`${server.url}/demo?order=SO-E2E-0311`);
  await customer.getByTestId('sb-launcher').click();
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  // A bulk order is presales' (the entry's team), Alice's team.
  await customer.getByTestId('sb-input').fill('I want to talk to a human about a bulk order');
  await customer.getByTestId('sb-input').press('Enter');
  const offers = agent.getByTestId('global-offers');
  await offers.getByTestId('btn-accept').first().click({ timeout: 20_000 });
  // The list's rows only: the first frame's copy of the newest rows
  // (transcript-tail) can still be in the DOM beside them.
  const transcript = agent.getByTestId('transcript').locator('.transcript-scroller');
  await transcript.waitFor({ timeout: 15_000 });
  const hello = 'Hello, this is Alice from presales.';
  await agent.getByTestId('composer-input').fill(hello);
  await agent.getByTestId('composer-send').click();
  await customer.locator('[data-testid="sb-message"][data-role="agent"]', { hasText: hello }).waitFor({ timeout: 15_000 });

  // The floor shows the conversation under Alice, live.
  const floorConv = sup.locator('[data-testid="floor-conv"]');
  await floorConv.first().waitFor({ timeout: 15_000 });
  await shot(sup, 'desktop-floor-en');

  // Sam opens it from the floor and monitors: Alice sees she is monitored.
  await floorConv.first().click();
  await sup.getByTestId('monitor-pane').waitFor({ timeout: 15_000 });
  await sup.getByTestId('btn-monitor').click();
  await sup.locator('[data-testid="monitor-pane"][data-monitoring="true"]').waitFor({ timeout: 15_000 });
  await agent.getByTestId('monitored-by').filter({ hasText: 'Sam' }).waitFor({ timeout: 15_000 });

  // Draft peek: what Alice types, before she sends it, reaches Sam.
  await agent.getByTestId('composer-input').fill(DRAFT);
  await sup.getByTestId('monitor-draft-text').filter({ hasText: DRAFT }).waitFor({ timeout: 15_000 });

  // Sam whispers; Alice sees the whisper, marked as such.
  await sup.getByTestId('whisper-input').fill(WHISPER);
  await sup.getByTestId('whisper-send').click();
  await transcript.locator('[data-testid="msg"]', { hasText: WHISPER }).getByTestId('msg-whisper')
    .waitFor({ timeout: 15_000 });
  await shot(sup, 'desktop-monitor-en');
  await shot(agent, 'desktop-monitored-agent-en');

  // The same screens in Chinese.
  await sup.getByTestId('lang-switch').selectOption('zh-CN');
  await sup.getByTestId('monitor-pane').waitFor();
  await shot(sup, 'desktop-monitor-zh');
  await sup.getByTestId('view-floor').click();
  await presales.waitFor({ timeout: 15_000 });
  await shot(sup, 'desktop-floor-zh');
  await sup.getByTestId('lang-switch').selectOption('en');
  await floorConv.first().click();
  await sup.getByTestId('monitor-pane').waitFor({ timeout: 15_000 });

  // Sam takes over, after confirming; Alice is told.
  await sup.getByTestId('btn-take-over').click();
  await sup.getByTestId('confirm-ok').click();
  await agent.locator('[data-testid="taken-notice"], [data-testid="global-taken-notice"]').first()
    .waitFor({ timeout: 15_000 });

  // Sam replies; the customer sees it.
  await sup.getByTestId('composer-input').fill(TAKEOVER);
  await sup.getByTestId('composer-send').click();
  const samReply = customer.locator('[data-testid="sb-message"][data-role="agent"]', { hasText: 'team lead' });
  await samReply.waitFor({ timeout: 15_000 });
  // Each reply shows its sender, and the customer was told who serves them now.
  await samReply.locator('.sb-name', { hasText: 'Sam' }).waitFor();
  await customer.locator('[data-testid="sb-message"][data-role="system"]', { hasText: 'Sam' }).first().waitFor();

  // Nothing of the whisper or the draft ever reached the customer: not live,
  // and not after a reload that reads the history again.
  const seen = async () => customer.locator('[data-testid="sb-panel"]').innerText();
  for (const text of [await seen(), await (async () => {
    await customer.reload();
    // The widget remembers that its panel was open.
    await customer.getByTestId('sb-panel').waitFor({ timeout: 15_000 });
    await customer.locator('[data-testid="sb-message"][data-role="agent"]', { hasText: 'Sam' })
      .waitFor({ timeout: 15_000 });
    return seen();
  })()]) {
    assert.ok(!text.includes('SPRUCE10'), 'the customer saw the whisper');
    assert.ok(!text.includes('refund policy for you'), "the customer saw the agent's draft");
    assert.ok(text.includes('Alice') && text.includes('Sam'), `the customer's view: ${text}`);
  }
});
