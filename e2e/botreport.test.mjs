// The bot's learning loop, end to end: customers in the widget ask what the
// bot does not know; the supervisor, in the desktop app (its real Go side, on
// the real server), finds the questions in the Bot report and makes new
// knowledge base entries of them; the customer asks again and the bot answers
// from the entry. The customer says the answer did not help, and it is back
// in the report as unhelpful. Last, the supervisor rolls the knowledge base
// back to the version before the second entry, and the bot no longer knows
// that one.
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

// Nothing in the demo knowledge base is about these.
const QUESTION = 'Does the mall plant a spruce for every parcel sent?';
const ENTRY_ID = 'spruce-planting';
const ANSWER_EN = 'Yes: for every parcel we send, we plant one spruce with our forestry partner.';
const ANSWER_ZH = '是的：每寄出一个包裹，我们都会和林业伙伴种下一棵云杉。';
const QUESTION2 = 'Is there a resident cat in your warehouse?';
const ENTRY2_ID = 'warehouse-cat';
const ANSWER2_EN = 'Yes, Mochi keeps our warehouse company.';
const ANSWER2_ZH = '有的，Mochi 一直陪着仓库的同事。';

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

/** Opens the widget on the demo page, online. */
async function openWidget(customer) {
  await customer.goto(`${server.url}/demo`);
  await customer.getByTestId('sb-launcher').click();
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 15_000 });
}

/** Makes a new entry of the selected group with the answers given (a screenshot of the form if named). */
async function newEntry(sup, question, id, en, zh, shotName) {
  const detail = sup.getByTestId('group-detail');
  await detail.getByTestId('group-question').filter({ hasText: question }).waitFor();
  await detail.getByTestId('group-new-entry').click();
  const form = sup.getByTestId('entry-form');
  await form.waitFor();
  assert.equal(await form.getByTestId('entry-question').inputValue(), question);
  await form.getByTestId('entry-id').fill(id);
  await form.getByTestId('entry-answer-en').fill(en);
  await form.getByTestId('entry-answer-zh').fill(zh);
  if (shotName) await shot(sup, shotName);
  await form.getByTestId('entry-save').click();
  await sup.getByTestId('botreport-notice').filter({ hasText: id }).waitFor({ timeout: 15_000 });
  await form.waitFor({ state: 'detached' });
  // The group leaves the report with the edit.
  await sup.locator('[data-testid="miss-group"]', { hasText: question })
    .waitFor({ state: 'detached', timeout: 15_000 });
}

/** The knowledge base version the report names. */
async function kbVersion(sup) {
  const v = Number((await sup.getByTestId('botreport-kb-version').innerText()).match(/\d+/)?.[0]);
  assert.ok(Number.isInteger(v), 'the report names the knowledge base version');
  return v;
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

test('missed questions become entries; the bot then answers them; feedback and roll back', async () => {
  const ctx = () => browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const customer = await (await ctx()).newPage();
  const other = await (await ctx()).newPage();
  const sup = await (await ctx()).newPage();
  for (const [name, page] of [['customer', customer], ['other customer', other], ['supervisor', sup]]) {
    page.on('pageerror', (err) => console.error(`[${name} page error]`, err.stack));
  }

  // Two customers ask what the bot does not know: it is unsure.
  await openWidget(customer);
  const unsure = await ask(customer, QUESTION);
  assert.equal(await unsure.getByTestId('sb-feedback').count(), 0, 'feedback asked on a reply not from the knowledge base');
  await openWidget(other);
  await ask(other, QUESTION2);

  // Sam, a supervisor, opens the Bot report: the questions are there, unsure.
  await signIn(sup, 'sam');
  await sup.getByTestId('view-botreport').click();
  await sup.getByTestId('botreport-view').waitFor({ timeout: 15_000 });
  const group = await groupWith(sup, QUESTION);
  await group.locator('[data-testid="reason-badge"][data-reason="unsure"]').waitFor();
  await groupWith(sup, QUESTION2);
  const kbBefore = await kbVersion(sup);
  await group.click();
  await sup.getByTestId('group-detail').getByTestId('group-question').filter({ hasText: QUESTION }).waitFor();

  // The same view in Chinese.
  await sup.getByTestId('lang-switch').selectOption('zh-CN');
  await sup.getByTestId('view-botreport').filter({ hasText: '机器人待改进' }).waitFor();
  await shot(sup, 'desktop-bot-report-zh');
  await sup.getByTestId('lang-switch').selectOption('en');

  // He makes a new entry of each: the form holds the question; he writes the answers.
  await newEntry(sup, QUESTION, ENTRY_ID, ANSWER_EN, ANSWER_ZH, 'desktop-bot-report-en');
  await sup.getByTestId('botreport-kb-version').filter({ hasText: `v${kbBefore + 1}` }).waitFor({ timeout: 15_000 });
  await (await groupWith(sup, QUESTION2)).click();
  await newEntry(sup, QUESTION2, ENTRY2_ID, ANSWER2_EN, ANSWER2_ZH);
  await sup.getByTestId('botreport-kb-version').filter({ hasText: `v${kbBefore + 2}` }).waitFor({ timeout: 15_000 });

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
  await shot(customer, 'widget-bot-feedback');
  const unhelpful = await groupWith(sup, QUESTION);
  await unhelpful.locator('[data-testid="reason-badge"][data-reason="unhelpful"]').waitFor({ timeout: 15_000 });
  await unhelpful.click();
  const detail = sup.getByTestId('group-detail');
  await detail.locator('[data-testid="group-question"][data-reason="unhelpful"]', { hasText: QUESTION }).waitFor();
  // The entry has the question already: Sam dismisses the group.
  await detail.getByTestId('group-dismiss').click();
  await sup.getByTestId('botreport-notice').filter({ hasText: 'Dismissed' }).waitFor({ timeout: 15_000 });
  await sup.locator('[data-testid="miss-group"]', { hasText: QUESTION }).waitFor({ state: 'detached', timeout: 15_000 });

  // Versions: the second entry's version is the current one; roll back to the one before.
  await sup.getByTestId('botreport-tab-versions').click();
  const versions = sup.getByTestId('kb-version');
  await versions.first().waitFor({ timeout: 15_000 });
  assert.equal(await versions.first().getAttribute('data-version'), String(kbBefore + 2));
  await versions.first().getByTestId('kb-version-current').waitFor();
  assert.match(await versions.first().innerText(), new RegExp(ENTRY2_ID));
  assert.match(await versions.first().innerText(), /Sam/);
  const previous = sup.locator(`[data-testid="kb-version"][data-version="${kbBefore + 1}"]`);
  await previous.getByTestId('kb-rollback').click();
  const dialog = sup.getByTestId('rollback-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('confirm-ok').click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  await sup.getByTestId('botreport-notice').filter({ hasText: `Rolled back to version ${kbBefore + 1}` }).waitFor();
  await sup.locator(`[data-testid="kb-version"][data-version="${kbBefore + 3}"]`)
    .getByTestId('kb-version-current').waitFor({ timeout: 15_000 });
  await shot(sup, 'desktop-bot-versions-en');

  // The bot answers from the version rolled back to at once: the first entry
  // is there, the second is gone.
  const third = await (await ctx()).newPage();
  await openWidget(third);
  const known = await ask(third, QUESTION);
  await known.filter({ hasText: 'we plant one spruce' }).waitFor({ timeout: 15_000 });
  const forgotten = await ask(third, QUESTION2);
  assert.ok(!(await forgotten.innerText()).includes('Mochi'), 'the bot still answers from the rolled back entry');
  assert.equal(await forgotten.getByTestId('sb-feedback').count(), 0);
});
