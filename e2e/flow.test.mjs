// The first real conversation, end to end: a customer on the demo page asks the
// bot a knowledge-base question, asks for a person, and an agent in the desktop
// app (real frontend, real Go side, real server) accepts, reads the bot
// transcript and the customer's context, replies and resolves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, startDesktopDev, launchBrowser, stopAll, shot, removeDir, crash,
} from './harness.mjs';

let server, desktop, browser;

before(async () => {
  [server, desktop] = await Promise.all([startServer(), startDesktopDev()]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll();
  if (server) removeDir(server.data);
  if (desktop) removeDir(desktop.config);
});

const ORDER = 'SO-E2E-0042';

test('customer asks the bot, is handed to an agent, agent replies and resolves', async () => {
  const customerCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const agentCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const customer = await customerCtx.newPage();
  const agent = await agentCtx.newPage();
  for (const [name, page] of [['customer', customer], ['agent', agent]]) {
    page.on('pageerror', (err) => console.error(`[${name} page error]`, err.stack));
  }

  // The customer opens the demo store page and the chat.
  await customer.goto(`${server.url}/demo?order=${ORDER}`);
  await customer.getByTestId('sb-launcher').click();
  await customer.getByTestId('sb-panel').waitFor();
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 15_000 });

  // A knowledge-base question gets the bot's answer (kb entry shipping-fee).
  await customer.getByTestId('sb-input').fill('运费怎么算？');
  await customer.getByTestId('sb-send').click();
  const botAnswer = customer.locator('[data-testid="sb-message"][data-role="bot"]', { hasText: '99' });
  await botAnswer.first().waitFor({ timeout: 15_000 });
  const mine = customer.locator('[data-testid="sb-message"][data-role="customer"]');
  await assert.doesNotReject(mine.first().waitFor());
  assert.equal(await mine.first().getAttribute('data-pending'), null, 'acknowledged message still pending');

  // Asking for a person hands over.
  await customer.getByTestId('sb-input').fill('转人工');
  await customer.getByTestId('sb-input').press('Enter');
  await customer.locator('[data-testid="sb-message"][data-role="system"]', { hasText: '人工' }).first()
    .waitFor({ timeout: 15_000 });
  await shot(customer, 'widget-handoff');

  // The agent signs in to the desktop app.
  await agent.goto(desktop.url);
  await agent.getByTestId('signin-server').fill(server.url);
  await agent.getByTestId('signin-username').fill('carol');
  await agent.getByTestId('signin-password').fill('wrong-password');
  await agent.getByTestId('signin-submit').click();
  await agent.getByTestId('signin-error').waitFor({ timeout: 15_000 });
  assert.match(await agent.getByTestId('signin-error').innerText(), /password|密码/i);
  await agent.getByTestId('signin-password').fill('switchboard-demo');
  await agent.getByTestId('signin-submit').click();
  await agent.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: 20_000 });

  // The conversation waits in the queue; the agent opens and accepts it.
  await agent.getByTestId('tab-queue').click();
  const queued = agent.locator('[data-testid="conv-item"][data-state="queued"]');
  await queued.first().waitFor({ timeout: 15_000 });
  await queued.first().click();
  await agent.getByTestId('btn-accept').click();
  await agent.getByTestId('tab-mine').click();
  await agent.locator('[data-testid="conv-item"][data-state="active"]').first().waitFor({ timeout: 15_000 });

  // The agent sees the bot transcript and the customer's context.
  const transcript = agent.getByTestId('transcript');
  await transcript.locator('[data-testid="msg"][data-role="bot"]', { hasText: '99' }).first().waitFor({ timeout: 15_000 });
  await transcript.locator('[data-testid="msg"][data-role="customer"]', { hasText: '运费怎么算' }).first().waitFor();
  const orderField = agent.locator('[data-testid="ctx-field"][data-key="order_no"]');
  await orderField.waitFor();
  assert.match(await orderField.innerText(), new RegExp(ORDER));
  const sourceField = agent.locator('[data-testid="ctx-field"][data-key="source"]');
  assert.match(await sourceField.innerText(), /\/demo/);

  // The agent replies; the customer sees it live.
  const reply = '您好，我是 Carol，运费问题我来帮您处理。';
  await agent.getByTestId('composer-input').fill(reply);
  await agent.getByTestId('composer-send').click();
  const sent = transcript.locator('[data-testid="msg"][data-role="agent"]', { hasText: 'Carol' });
  await sent.first().waitFor({ timeout: 15_000 });
  await agent.waitForFunction(
    () => document.querySelector('[data-testid="transcript"] [data-testid="msg"][data-role="agent"]:not([data-pending="true"])') !== null,
    null, { timeout: 15_000 },
  );
  await customer.locator('[data-testid="sb-message"][data-role="agent"]', { hasText: reply }).waitFor({ timeout: 15_000 });
  await shot(agent, 'desktop-conversation');
  await shot(customer, 'widget-agent-reply');

  // Sequence numbers the customer sees are strictly increasing, with no duplicates.
  const seqs = (await customer.locator('[data-testid="sb-message"]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('data-seq')).filter((s) => s && s !== '0').map(Number),
  ));
  assert.ok(seqs.length >= 6, `customer sees ${seqs.length} messages`);
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `seq order ${seqs}`);

  // The agent resolves; both sides see it.
  await agent.getByTestId('btn-resolve').click();
  await agent.locator('[data-testid="conv-item"][data-state="resolved"], [data-testid="msg"][data-role="system"]', { hasText: /resolved|已解决|结束/i })
    .first().waitFor({ timeout: 15_000 });
  await customer.locator('[data-testid="sb-message"][data-role="system"]', { hasText: '结束' }).waitFor({ timeout: 15_000 });

  await customerCtx.close();
  await agentCtx.close();
});

/** Signs the desktop app in as username (the server URL is filled in each time). */
async function signIn(agent, username) {
  await agent.getByTestId('signin-server').fill(server.url);
  await agent.getByTestId('signin-username').fill(username);
  await agent.getByTestId('signin-password').fill('switchboard-demo');
  await agent.getByTestId('signin-submit').click();
  await agent.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: 20_000 });
}

async function signOut(agent) {
  await agent.getByTestId('sign-out').click();
  await agent.getByTestId('signin-username').waitFor({ timeout: 15_000 });
}

test('no agent online: the customer leaves a message; the server restarts mid-queue; an offer expires; '
  + 'a transfer to another team is taken by an agent there; the customer rates', async () => {
  const customerCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const agentCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const customer = await customerCtx.newPage();
  const agent = await agentCtx.newPage();
  for (const [name, page] of [['customer', customer], ['agent', agent]]) {
    page.on('pageerror', (err) => console.error(`[${name} page error]`, err.stack));
  }

  // Nobody is online: the desktop app (still signed in from the first test) signs out.
  await agent.goto(desktop.url);
  await agent.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: 20_000 });
  await signOut(agent);

  // The customer asks the bot, then for a person, and is told nobody is there.
  await customer.goto(`${server.url}/demo?order=SO-E2E-0077`);
  await customer.getByTestId('sb-launcher').click();
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  await customer.getByTestId('sb-input').fill('How long until you ship?');
  await customer.getByTestId('sb-send').click();
  await customer.locator('[data-testid="sb-message"][data-role="bot"]').first().waitFor({ timeout: 15_000 });
  await customer.getByTestId('sb-input').fill('I want to talk to a human');
  await customer.getByTestId('sb-input').press('Enter');
  await customer.locator('[data-testid="sb-queue"][data-open="false"]').waitFor({ timeout: 15_000 });
  await customer.getByTestId('sb-leave-form').waitFor();
  const left = 'Please call me back about a refund for SO-E2E-0077';
  await customer.getByTestId('sb-leave-text').fill(left);
  await customer.getByTestId('sb-leave-contact').fill('li@example.com');
  await customer.getByTestId('sb-leave-submit').click();
  await customer.getByTestId('sb-leave-done').waitFor({ timeout: 15_000 });
  await shot(customer, 'widget-leave-message');

  // The server crashes and comes back on the same data, with short offers; the
  // widget reconnects on its own.
  await crash(server.proc);
  server = await startServer({ port: server.port, data: server.data, args: ['--offer-timeout', '8s'], label: 'server-restarted' });
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 30_000 });

  // Alice (presales) comes online and is offered the conversation at once.
  await signIn(agent, 'alice');
  await customer.locator('[data-testid="sb-queue"][data-open="true"]').waitFor({ timeout: 15_000 });
  await agent.getByTestId('tab-queue').click();
  const offered = agent.locator('[data-testid="conv-item"][data-offered="true"]');
  await offered.first().waitFor({ timeout: 15_000 });
  await offered.first().click();
  await agent.getByTestId('offer-banner').waitFor();
  await agent.getByTestId('offer-countdown').waitFor();
  const trigger = agent.getByTestId('packet-trigger');
  await trigger.waitFor({ timeout: 15_000 });
  assert.equal(await trigger.getAttribute('data-trigger'), 'asked');
  await agent.getByTestId('packet-summary').waitFor();
  await shot(agent, 'desktop-offer');
  // She lets it run out: the offer timer fires after the restart, and the banner goes.
  await agent.getByTestId('offer-banner').waitFor({ state: 'detached', timeout: 30_000 });

  // Nobody else is online, so she picks it from the queue after all.
  await agent.getByTestId('btn-accept').click();
  const transcript = agent.getByTestId('transcript');
  await transcript.locator('[data-testid="msg"][data-role="customer"]', { hasText: left }).waitFor({ timeout: 15_000 });

  // She transfers it to after-sales with a note for the next agent.
  const note = 'Refund over 500 yuan: needs after-sales approval';
  await agent.getByTestId('btn-transfer').click();
  await agent.getByTestId('transfer-dialog').waitFor();
  await agent.getByTestId('transfer-team-aftersales').click();
  await agent.getByTestId('transfer-note').fill(note);
  await agent.getByTestId('btn-transfer-submit').click();
  await agent.getByTestId('transfer-dialog').waitFor({ state: 'detached', timeout: 15_000 });
  await customer.locator('[data-testid="sb-message"][data-role="system"]', { hasText: /colleague/i }).first()
    .waitFor({ timeout: 15_000 });
  await signOut(agent);

  // Bob (after-sales) is offered it, accepts, and sees the whole history and the note.
  await signIn(agent, 'bob');
  await agent.getByTestId('tab-queue').click();
  await offered.first().waitFor({ timeout: 15_000 });
  await offered.first().click();
  await agent.getByTestId('offer-banner').getByTestId('btn-accept').click();
  await agent.getByTestId('tab-mine').click();
  await agent.locator('[data-testid="conv-item"][data-state="active"]').first().waitFor({ timeout: 15_000 });
  await transcript.locator('[data-testid="msg"]', { hasText: note }).locator('[data-testid="msg-internal"]')
    .waitFor({ timeout: 15_000 });
  await transcript.locator('[data-testid="msg"][data-role="customer"]', { hasText: 'How long until you ship' }).waitFor();
  await transcript.locator('[data-testid="msg"][data-role="customer"]', { hasText: left }).waitFor();
  // The customer never sees the note.
  assert.equal(await customer.locator('[data-testid="sb-message"]', { hasText: note }).count(), 0);

  const reply = 'Hi, Bob from after-sales here: your refund is approved.';
  await agent.getByTestId('composer-input').fill(reply);
  await agent.getByTestId('composer-send').click();
  await customer.locator('[data-testid="sb-message"][data-role="agent"]', { hasText: reply }).waitFor({ timeout: 15_000 });
  await shot(agent, 'desktop-transfer-note');

  // Bob resolves; the customer rates; the rating shows on the conversation.
  await agent.getByTestId('btn-resolve').click();
  await customer.getByTestId('sb-rating').waitFor({ timeout: 15_000 });
  await customer.locator('[data-testid="sb-rating-star"][data-score="5"]').click();
  await customer.getByTestId('sb-rating-comment').fill('Quick and friendly');
  await customer.getByTestId('sb-rating-submit').click();
  await customer.getByTestId('sb-rating-thanks').waitFor({ timeout: 15_000 });
  await shot(customer, 'widget-rating');
  const rating = agent.getByTestId('conv-rating').first();
  await rating.waitFor({ timeout: 15_000 });
  assert.match(await rating.innerText(), /5|Quick/);

  await customerCtx.close();
  await agentCtx.close();
});
