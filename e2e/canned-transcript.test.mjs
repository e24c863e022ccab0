// Shared canned responses and transcripts, end to end on one real server with
// an SMTP sink beside it. An admin makes a global canned response through the
// HTTP API while an agent works a conversation in the desktop app (its real Go
// side): it reaches her "/" menu at once and goes in with its variables filled
// from the conversation. Then, with an internal note from the agent and a
// whisper from her supervisor (a second desktop app) in the conversation, the
// customer downloads the transcript from the widget as a web page and as text
// and has it emailed: the messages are there, the note and the whisper not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  root, startServer, startDesktopDev, startDesktopTwin, launchBrowser, stopAll, shot, removeDir,
} from './harness.mjs';
import { startSMTPSink, decodeQuotedPrintable } from './smtpsink.mjs';

let server, agentApp, supervisorApp, browser, smtp;

before(async () => {
  smtp = await startSMTPSink();
  [server, agentApp] = await Promise.all([
    startServer({
      args: ['--smtp-host', '127.0.0.1', '--smtp-port', String(smtp.port), '--smtp-tls', 'none',
        '--smtp-from', 'Support <support@example.com>'],
    }),
    startDesktopDev(),
  ]);
  supervisorApp = await startDesktopTwin('desktop-supervisor');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll();
  await smtp?.close();
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

/** Runs the server's admin command on the test server's data directory. */
async function admin(...args) {
  const { stdout } = await promisify(execFile)(path.join(root, 'bin', 'switchboard-server'),
    [...args, '--data', server.data]);
  return stdout;
}

const ORDER = 'SO-E2E-0512';
const NAME = 'Wang Fang';
const ASK = 'I want to talk to a human about a bulk order';
const HELLO = 'Hello, this is Alice from presales.';
const NOTE = 'Internal: check the stock in the Suzhou warehouse first';
const WHISPER = 'Whisper: offer free shipping on this one';
const CANNED_EN = 'Hi {customer.name}, order {order_no} ships today. {agent.name}';
const FILLED = `Hi ${NAME}, order ${ORDER} ships today. Alice`;

// The conversation both tests work on, in order.
let customer, agent, sup;

test('a canned response made through the API is in the agent\'s / menu at once, variables filled', async () => {
  const ctx = () => browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  customer = await (await ctx()).newPage();
  agent = await (await ctx()).newPage();
  sup = await (await ctx()).newPage();
  for (const [name, page] of [['customer', customer], ['agent', agent], ['supervisor', sup]]) {
    page.on('pageerror', (err) => console.error(`[${name} page error]`, err.stack));
  }

  // Sam, the supervisor, is signed in but away: no offers for him.
  await signIn(sup, supervisorApp, 'sam');
  await sup.getByTestId('status-switch').selectOption('away');
  await sup.locator('[data-testid="status-switch"][data-status="away"]').waitFor({ timeout: 15_000 });

  // A signed-in customer of the store (the demo page signs their name) asks for a
  // person about an order; Alice of presales accepts.
  await signIn(agent, agentApp, 'alice');
  await customer.goto(`${server.url}/demo?order=${ORDER}&user=u-e2e-0512&name=${encodeURIComponent(NAME)}`);
  await customer.getByTestId('sb-launcher').click();
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  await customer.getByTestId('sb-input').fill(ASK);
  await customer.getByTestId('sb-input').press('Enter');
  await agent.getByTestId('global-offers').getByTestId('btn-accept').first().click({ timeout: 20_000 });
  await agent.getByTestId('transcript').waitFor({ timeout: 15_000 });
  await agent.getByTestId('composer-input').fill(HELLO);
  await agent.getByTestId('composer-send').click();
  const agentSaid = (text) => customer.locator('[data-testid="sb-message"][data-role="agent"]', { hasText: text });
  await agentSaid(HELLO).waitFor({ timeout: 15_000 });

  // The admin makes an API key with the admin command, and a global canned
  // response with it, while Alice's app is open.
  const key = /key \(shown once\): (sbk_\S+)/.exec(await admin('apikey', 'create', 'e2e admin', '--scopes', 'admin'))?.[1];
  assert.ok(key, 'apikey create printed the key');
  const res = await fetch(`${server.url}/api/v1/canned`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      team: '', title: 'Ships today', shortcut: 'shiptoday',
      text: { en: CANNED_EN, zh: '{customer.name}，您好：订单 {order_no} 今天发货。{agent.name}' },
    }),
  });
  assert.equal(res.status, 201, `POST /api/v1/canned: ${await res.text()}`);

  // It is in her "/" menu without a reload, and goes in filled from the conversation.
  const input = agent.getByTestId('composer-input');
  await input.fill('');
  await input.pressSequentially('/shiptoday');
  const menu = agent.getByTestId('canned-menu');
  await menu.waitFor({ timeout: 15_000 });
  await menu.getByTestId('canned-item').filter({ hasText: 'Ships today' }).waitFor({ timeout: 15_000 });
  await shot(agent, 'desktop-canned-from-api-en');
  await input.press('Enter');
  await menu.waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(await input.inputValue(), FILLED);
  assert.equal(await agent.getByTestId('composer-unfilled').count(), 0, 'a variable was left unfilled');
  await agent.getByTestId('composer-send').click();
  await agentSaid(FILLED).waitFor({ timeout: 15_000 });
});

test('the customer downloads the transcript (web page, text) and has it emailed, without note or whisper', async () => {
  assert.ok(customer && agent && sup, 'the first test set the conversation up');
  // The list's rows only: the first frame's copy of the newest rows
  // (transcript-tail) can still be in the DOM beside them.
  const transcript = agent.getByTestId('transcript').locator('.transcript-scroller');

  // Alice writes an internal note.
  const toggle = agent.getByTestId('composer-note-toggle');
  await toggle.click();
  await agent.getByTestId('composer-note-banner').waitFor();
  await agent.getByTestId('composer-input').fill(NOTE);
  await agent.getByTestId('composer-send').click();
  await transcript.locator('[data-testid="msg"]', { hasText: NOTE }).getByTestId('msg-internal')
    .waitFor({ timeout: 15_000 });
  if ((await toggle.getAttribute('aria-pressed')) === 'true') await toggle.click();

  // Sam monitors from the floor and whispers; Alice sees it.
  await sup.getByTestId('view-floor').click();
  const floorConv = sup.locator('[data-testid="floor-conv"]');
  await floorConv.first().waitFor({ timeout: 15_000 });
  await floorConv.first().click();
  await sup.getByTestId('monitor-pane').waitFor({ timeout: 15_000 });
  await sup.getByTestId('btn-monitor').click();
  await sup.locator('[data-testid="monitor-pane"][data-monitoring="true"]').waitFor({ timeout: 15_000 });
  await sup.getByTestId('whisper-input').fill(WHISPER);
  await sup.getByTestId('whisper-send').click();
  await transcript.locator('[data-testid="msg"]', { hasText: WHISPER }).getByTestId('msg-whisper')
    .waitFor({ timeout: 15_000 });

  // The customer opens the transcript menu: downloads, and email (the server has SMTP).
  await customer.getByTestId('sb-transcript-menu').click();
  const panel = customer.getByTestId('sb-transcript-panel');
  await panel.waitFor();
  await customer.getByTestId('sb-transcript-email').waitFor();
  await shot(customer, 'widget-transcript-menu-en');
  const status = customer.getByTestId('sb-transcript-status');

  const download = async (testid) => {
    const [dl] = await Promise.all([customer.waitForEvent('download', { timeout: 15_000 }), customer.getByTestId(testid).click()]);
    await status.filter({ hasText: 'Transcript downloaded' }).waitFor({ timeout: 15_000 });
    return { name: dl.suggestedFilename(), body: await readFile(await dl.path(), 'utf8') };
  };
  const said = [ASK, HELLO, FILLED];
  const checkContent = (what, body) => {
    for (const text of said) assert.ok(body.includes(text), `${what} lacks ${JSON.stringify(text)}`);
    assert.ok(!body.includes(NOTE), `${what} has the internal note`);
    assert.ok(!body.includes(WHISPER), `${what} has the whisper`);
    assert.ok(!body.includes('Suzhou') && !body.includes('free shipping'), `${what} has part of the note or whisper`);
  };

  const html = await download('sb-transcript-download-html');
  assert.match(html.name, /\.html$/);
  assert.match(html.body, /<html/i);
  checkContent('the HTML transcript', html.body);
  const text = await download('sb-transcript-download-text');
  assert.match(text.name, /\.txt$/);
  assert.ok(!/<html/i.test(text.body), 'the text transcript is HTML');
  checkContent('the text transcript', text.body);

  // Emailed: to the address given, with the same content in both parts.
  const to = 'wang.fang@example.com';
  await customer.getByTestId('sb-transcript-email-address').fill(to);
  await customer.getByTestId('sb-transcript-email-send').click();
  await status.filter({ hasText: `Transcript sent to ${to}` }).waitFor({ timeout: 15_000 });
  const mail = await smtp.waitFor((m) => m.to.includes(to));
  assert.equal(mail.from, 'support@example.com');
  const parts = mail.data.split(/\r\n--[^\r\n]+\r\n/).slice(1);
  const bodyOf = (type) => {
    const part = parts.find((p) => p.slice(0, p.indexOf('\r\n\r\n')).toLowerCase().includes(`content-type: ${type}`));
    assert.ok(part, `the email has a ${type} part`);
    return decodeQuotedPrintable(part.slice(part.indexOf('\r\n\r\n') + 4));
  };
  checkContent('the emailed text', bodyOf('text/plain'));
  checkContent('the emailed web page', bodyOf('text/html'));
  assert.ok(!decodeQuotedPrintable(mail.data).includes(WHISPER), 'the email has the whisper');
});
