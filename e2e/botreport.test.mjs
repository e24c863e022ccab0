// The bot's learning loop, end to end: a customer in the widget asks what the
// bot does not know; the supervisor, in the desktop app (its real Go side, on
// the real server), finds the question in the Bot report and makes a new
// knowledge base entry of it; the customer asks again and the bot answers
// from the entry. The customer says the answer did not help, and it is back
// in the report as unhelpful. Last, the supervisor rolls the knowledge base
// back to the version before the entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startDesktopDev, launchBrowser, stopAll, shot, removeDir } from './harness.mjs';

let server, app, browser;

before(async () => {
  [server, app] = await Promise.all([startServer(), startDesktopDev()]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll();
  if (server) removeDir(server.data);
  if (app) {
    removeDir(app.config);
    removeDir(app.downloads);
  }
});

// Nothing in the demo knowledge base is about this.
const QUESTION = 'Does the mall plant a spruce for every parcel sent?';
const ENTRY_ID = 'spruce-planting';
const ANSWER_EN = 'Yes: for every parcel we send, we plant one spruce with our forestry partner.';
const ANSWER_ZH = '是的：每寄出一个包裹，我们都会和林业伙伴种下一棵云杉。';

async function signIn(page, username) {
  await page.goto(app.url);
  await page.getByTestId('signin-server').fill(server.url);
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill('switchboard-demo');
  await page.getByTestId('signin-submit').click();
  await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: 20_000 });
}

/** Sends text in the widget and waits for the bot's next line; returns it. */
async function ask(customer, text) {
  const bots = customer.locator('[data-testid="sb-message"][data-role="bot"]');
  const before = await bots.count();
  await customer.getByTestId('sb-input').fill(text);
  await customer.getByTestId('sb-input').press('Enter');
  const reply = bots.nth(before);
  await reply.waitFor({ timeout: 15_000 });
  return reply;
}

/** The report's group whose questions include text, after a reload of the report. */
async function groupWith(sup, text) {
  const group = sup.locator('[data-testid="miss-group"]', { hasText: text });
  for (let i = 0; i < 20; i++) {
    await sup.getByTestId('botreport-reload').click();
    if (await group.first().isVisible()) return group.first();
    await sup.waitForTimeout(500);
  }
  await group.first().waitFor({ timeout: 1000 });
  return group.first();
}

test('a missed question becomes an entry; the bot then answers it; feedback and roll back', async () => {
  const ctx = () => browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const customer = await (await ctx()).newPage();
  const sup = await (await ctx()).newPage();
  for (const [name, page] of [['customer', customer], ['supervisor', sup]]) {
    page.on('pageerror', (err) => console.error(`[${name} page error]`, err.stack));
  }

  // The customer asks something the bot does not know: it is unsure.
  await customer.goto(`${server.url}/demo`);
  await customer.getByTestId('sb-launcher').click();
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  const unsure = await ask(customer, QUESTION);
  assert.equal(await unsure.getByTestId('sb-feedback').count(), 0, 'feedback asked on a reply not from the knowledge base');

  // Sam, a supervisor, opens the Bot report: the question is there, unsure.
  await signIn(sup, 'sam');
  await sup.getByTestId('view-botreport').click();
  await sup.getByTestId('botreport-view').waitFor({ timeout: 15_000 });
  const group = await groupWith(sup, QUESTION);
  await group.locator('[data-testid="reason-badge"][data-reason="unsure"]').waitFor();
  await group.click();
  const detail = sup.getByTestId('group-detail');
  await detail.getByTestId('group-question').filter({ hasText: QUESTION }).waitFor();
  const kbBefore = Number(
    (await sup.getByTestId('botreport-kb-version').innerText()).match(/\d+/)?.[0] ?? NaN,
  );
  assert.ok(kbBefore > 0, 'the report names the knowledge base version');
  await shot(sup, 'desktop-bot-report-en');

  // The same view in Chinese.
  await sup.getByTestId('lang-switch').selectOption('zh-CN');
  await sup.getByTestId('view-botreport').filter({ hasText: '机器人待改进' }).waitFor();
  await shot(sup, 'desktop-bot-report-zh');
  await sup.getByTestId('lang-switch').selectOption('en');

  // He makes a new entry of it: the form holds the question; he writes the answer.
  await detail.getByTestId('group-new-entry').click();
  const form = sup.getByTestId('entry-form');
  await form.waitFor();
  assert.equal(await form.getByTestId('entry-question').inputValue(), QUESTION);
  await form.getByTestId('entry-id').fill(ENTRY_ID);
  await form.getByTestId('entry-answer-en').fill(ANSWER_EN);
  await form.getByTestId('entry-answer-zh').fill(ANSWER_ZH);
  await form.getByTestId('entry-save').click();
  await sup.getByTestId('botreport-notice').filter({ hasText: ENTRY_ID }).waitFor({ timeout: 15_000 });
  await form.waitFor({ state: 'detached' });
  // The group left the report with the edit.
  assert.equal(
    await sup.locator('[data-testid="miss-group"]', { hasText: QUESTION }).count(), 0,
    'the group is still in the report after its entry was made',
  );
  await sup.getByTestId('botreport-kb-version').filter({ hasText: `v${kbBefore + 1}` }).waitFor({ timeout: 15_000 });

  // The customer asks the same again: the bot answers from the new entry.
  const answer = await ask(customer, QUESTION);
  await answer.filter({ hasText: 'we plant one spruce' }).waitFor({ timeout: 15_000 });

  // It did not help, the customer says: thanks, and it is in the report as unhelpful.
  const feedback = answer.getByTestId('sb-feedback');
  await feedback.waitFor();
  assert.match(await feedback.innerText(), /Was this helpful\?/);
  await feedback.getByTestId('sb-feedback-down').click();
  await answer.locator('[data-testid="sb-feedback"][data-state="done"]').waitFor({ timeout: 15_000 });
  assert.match(await feedback.innerText(), /Thanks for your feedback/);
  const unhelpful = await groupWith(sup, QUESTION);
  await unhelpful.locator('[data-testid="reason-badge"][data-reason="unhelpful"]').waitFor({ timeout: 15_000 });
  await unhelpful.click();
  await detail.locator('[data-testid="group-question"][data-reason="unhelpful"]', { hasText: QUESTION }).waitFor();

  // Versions: the entry's version is the current one; roll back to the one before.
  await sup.getByTestId('botreport-tab-versions').click();
  const versions = sup.getByTestId('kb-version');
  await versions.first().waitFor({ timeout: 15_000 });
  assert.equal(await versions.first().getAttribute('data-version'), String(kbBefore + 1));
  await versions.first().getByTestId('kb-version-current').waitFor();
  const previous = sup.locator(`[data-testid="kb-version"][data-version="${kbBefore}"]`);
  await previous.getByTestId('kb-rollback').click();
  const dialog = sup.getByTestId('rollback-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('confirm-ok').click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  await sup.getByTestId('botreport-notice').filter({ hasText: `Rolled back to version ${kbBefore}` }).waitFor();
  await sup.locator(`[data-testid="kb-version"][data-version="${kbBefore + 2}"]`)
    .getByTestId('kb-version-current').waitFor({ timeout: 15_000 });
  await shot(sup, 'desktop-bot-versions-en');
});
