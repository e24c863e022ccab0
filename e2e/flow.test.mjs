// The first real conversation, end to end: a customer on the demo page asks the
// bot a knowledge-base question, asks for a person, and an agent in the desktop
// app (real frontend, real Go side, real server) accepts, reads the bot
// transcript and the customer's context, replies and resolves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, startDesktopDev, launchBrowser, stopAll, shot, removeDir,
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
