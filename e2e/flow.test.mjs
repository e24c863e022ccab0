// The first real conversation, end to end: a customer on the demo page asks the
// bot a knowledge-base question, asks for a person, and an agent in the desktop
// app (real frontend, real Go side, real server) accepts, reads the bot
// transcript and the customer's context, replies and resolves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
  if (desktop) {
    removeDir(desktop.config);
    removeDir(desktop.downloads);
  }
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
  // The list's rows only: the first frame's copy of the newest rows
  // (transcript-tail) can still be in the DOM beside them.
  const transcript = agent.getByTestId('transcript').locator('.transcript-scroller');
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
  // She lets it run out: the offer timer fires after the restart.
  await agent.locator('[data-testid="msg"][data-role="system"]', { hasText: /Offer expired/ }).first()
    .waitFor({ timeout: 30_000 });

  // Nobody else of the team is online, so the conversation is not left
  // waiting: it is offered to her again, and this time she accepts.
  await agent.getByTestId('global-offers').getByTestId('btn-accept').first().click({ timeout: 20_000 });
  // The list's rows only: the first frame's copy of the newest rows
  // (transcript-tail) can still be in the DOM beside them.
  const transcript = agent.getByTestId('transcript').locator('.transcript-scroller');
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

/** A minimal one-page PDF, made here so the test carries no binary fixture. */
function tinyPDF() {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
    + '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
    + '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n'
    + 'trailer<</Root 1 0 R>>\n%%EOF\n',
  );
}

test('rich messages: text, a canned response, a pasted image, a product card the customer buys from, '
  + 'a file and a voice message from the customer', async () => {
  const customerCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const agentCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  // The widget's recorder asks for the microphone; Chromium runs with a fake device (harness.mjs).
  await customerCtx.grantPermissions(['microphone'], { origin: server.url });
  const customer = await customerCtx.newPage();
  const agent = await agentCtx.newPage();
  for (const [name, page] of [['customer', customer], ['agent', agent]]) {
    page.on('pageerror', (err) => console.error(`[${name} page error]`, err.stack));
  }

  // Carol (who the earlier tests left free) takes over the desktop app from Bob.
  await agent.goto(desktop.url);
  await agent.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: 20_000 });
  await signOut(agent);
  await signIn(agent, 'carol');

  // The customer asks for a person and Carol is offered the conversation.
  await customer.goto(`${server.url}/demo?order=SO-E2E-0099`);
  await customer.getByTestId('sb-launcher').click();
  await customer.locator('[data-testid="sb-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  await customer.getByTestId('sb-input').fill('I want to talk to a human');
  await customer.getByTestId('sb-input').press('Enter');
  await agent.getByTestId('tab-queue').click();
  const queued = agent.locator('[data-testid="conv-item"][data-state="queued"]');
  await queued.first().waitFor({ timeout: 15_000 });
  await queued.first().click();
  // The offer banner's accept while the offer runs (8 s on the restarted server), the
  // conversation's own accept if it has run out meanwhile: either takes it.
  await agent.getByTestId('btn-accept').first().click();
  await agent.getByTestId('tab-mine').click();
  await agent.locator('[data-testid="conv-item"][data-state="active"]').first().waitFor({ timeout: 15_000 });
  // The list's rows only: the first frame's copy of the newest rows
  // (transcript-tail) can still be in the DOM beside them.
  const transcript = agent.getByTestId('transcript').locator('.transcript-scroller');
  await transcript.locator('[data-testid="msg"][data-role="customer"]', { hasText: 'talk to a human' }).first()
    .waitFor({ timeout: 15_000 });
  const agentSaid = (text) => customer.locator('[data-testid="sb-message"][data-role="agent"]', { hasText: text });

  // Text.
  const hello = 'Hi, Carol here. Let me show you something.';
  await agent.getByTestId('composer-input').fill(hello);
  await agent.getByTestId('composer-send').click();
  await agentSaid(hello).waitFor({ timeout: 15_000 });

  // A canned response: "/" opens the menu, Enter inserts the first one, then it is sent.
  const input = agent.getByTestId('composer-input');
  await input.fill('');
  await input.pressSequentially('/');
  await agent.getByTestId('canned-menu').waitFor({ timeout: 15_000 });
  await agent.getByTestId('canned-item').first().waitFor();
  await input.press('Enter');
  await agent.getByTestId('canned-menu').waitFor({ state: 'detached', timeout: 15_000 });
  const canned = (await input.inputValue()).trim();
  assert.ok(canned !== '' && !canned.startsWith('/'), `canned response inserted: ${JSON.stringify(canned)}`);
  await agent.getByTestId('composer-send').click();
  await agentSaid(canned.slice(0, 40)).first().waitFor({ timeout: 15_000 });

  // An image, pasted into the composer: the Go side uploads it (the native file dialog of
  // btn-attach cannot be driven under `wails dev`, so the paste path stands in for it).
  // Every upload-item the composer shows is recorded, to check the progress it reports.
  await agent.evaluate(() => {
    window.__uploadProgress = [];
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="upload-item"]')) {
        window.__uploadProgress.push(Number(el.getAttribute('data-progress')));
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-progress'] });
  });
  await agent.evaluate(async () => {
    // A noisy picture, so it is not a few bytes and the upload has some way to go.
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 480;
    const g = c.getContext('2d');
    const px = g.createImageData(c.width, c.height);
    for (let i = 0; i < px.data.length; i += 4) {
      px.data[i] = (i * 7) % 256;
      px.data[i + 1] = Math.floor(Math.random() * 256);
      px.data[i + 2] = (i >> 10) % 256;
      px.data[i + 3] = 255;
    }
    g.putImageData(px, 0, 0);
    const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'shelf-photo.png', { type: 'image/png' }));
    const ta = document.querySelector('[data-testid="composer-input"]');
    ta.focus();
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  const agentImage = transcript.locator('[data-testid="msg-image"]');
  await agentImage.first().waitFor({ timeout: 30_000 });
  await agentImage.first().locator('img').waitFor({ timeout: 15_000 });
  // Half a megabyte over loopback takes a few tens of milliseconds, so the bar is rarely
  // seen part way (its steps are covered by ComposerTools.test.tsx); what is checked here
  // is that whatever it showed was a fraction and that it goes once the image is sent.
  // (Under `wails dev` the last progress report can overtake upload:done; the bar once
  // stayed at 100% for good because of that.)
  const progress = await agent.evaluate(() => window.__uploadProgress);
  console.log(`upload-item progress seen: ${JSON.stringify(progress.slice(0, 20))}`);
  assert.ok(progress.every((p) => p >= 0 && p <= 1), `progress in 0..1: ${progress}`);
  await agent.getByTestId('upload-item').waitFor({ state: 'detached', timeout: 15_000 });
  const widgetImage = customer.locator('[data-testid="sb-msg-image"]');
  await customer.locator('[data-testid="sb-msg-image"][data-state="ready"]').first().waitFor({ timeout: 15_000 });
  await customer.waitForFunction(() => {
    const img = document.querySelector('[data-testid="sb-msg-image"] img');
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 15_000 });
  assert.equal(await widgetImage.count(), 1);

  // A product card.
  await agent.getByTestId('btn-card').click();
  await agent.getByTestId('card-picker').waitFor();
  await agent.getByTestId('card-type-product').click();
  await agent.getByTestId('card-sku').fill('SKU-E2E-7');
  await agent.getByTestId('card-title').fill('Walnut desk organiser');
  await agent.getByTestId('card-price').fill('129.00');
  await agent.getByTestId('card-currency').fill('CNY');
  await agent.getByTestId('card-submit').click();
  await transcript.locator('[data-testid="msg-card"][data-card-type="product"]').waitFor({ timeout: 15_000 });
  const card = customer.locator('[data-testid="sb-card"][data-card-type="product"]');
  await card.waitFor({ timeout: 15_000 });
  assert.match(await card.innerText(), /Walnut desk organiser/);
  assert.match(await card.innerText(), /129/);

  // The customer buys from the card; the agent sees the card_action line.
  await card.locator('[data-testid="sb-card-action"][data-action="buy"]').click();
  await transcript.locator('.event-card_action', { hasText: /buy/i }).waitFor({ timeout: 15_000 });

  // The customer sends a file through the widget's (hidden) file input.
  const pdf = tinyPDF();
  await customer.getByTestId('sb-file-input').setInputFiles({ name: 'receipt-0099.pdf', mimeType: 'application/pdf', buffer: pdf });
  await customer.getByTestId('sb-msg-file').waitFor({ timeout: 15_000 });
  const agentFile = transcript.locator('[data-testid="msg-file"]');
  await agentFile.waitFor({ timeout: 15_000 });
  assert.equal(await agentFile.getAttribute('data-mime'), 'application/pdf');
  assert.equal(await agentFile.locator('.msg-file-name').innerText(), 'receipt-0099.pdf');
  assert.match(await agentFile.locator('.msg-file-size').innerText(), new RegExp(`${pdf.length}\\s*B`));
  const download = agentFile.getByTestId('file-download');
  assert.equal(await download.isEnabled(), true);

  // A voice message recorded in the widget from Chromium's fake microphone. A recording
  // needs some length, so this waits for the recorder's clock to pass one second.
  const record = customer.getByTestId('sb-voice-record');
  await record.click();
  await customer.locator('[data-testid="sb-voice-record"][data-state="recording"]').waitFor({ timeout: 15_000 });
  await customer.waitForFunction(
    () => /0?:0*[1-9]/.test(document.querySelector('.sb-record-time')?.textContent ?? ''),
    null, { timeout: 15_000 },
  );
  await record.click();
  await customer.getByTestId('sb-msg-voice').waitFor({ timeout: 15_000 });
  await transcript.locator('[data-testid="msg-voice"]').waitFor({ timeout: 15_000 });

  await shot(agent, 'desktop-rich-conversation');
  await shot(customer, 'widget-rich-messages');

  // The widget shows the agent's text before the canned response, once each.
  const texts = await customer.locator('[data-testid="sb-message"][data-role="agent"]').allInnerTexts();
  const at = (part) => texts.findIndex((t) => t.includes(part));
  assert.ok(at(hello) >= 0 && at(canned.slice(0, 40)) > at(hello), `agent messages in the widget: ${JSON.stringify(texts)}`);
  assert.equal(texts.filter((t) => t.includes(hello)).length, 1);

  // The agent plays the customer's recording: it shows its length before loading, and
  // once played its position moves.
  const agentVoice = transcript.locator('[data-testid="msg-voice"]').last();
  assert.match(await agentVoice.locator('.msg-voice-time').innerText(), /^0:0[1-9]$/);
  await agentVoice.getByTestId('voice-play').click();
  const audio = agentVoice.locator('audio');
  await audio.waitFor({ timeout: 15_000 });
  await agent.waitForFunction(
    (el) => el && (el.currentTime > 0 || el.ended), await audio.elementHandle(), { timeout: 15_000 },
  );

  // The agent downloads the customer's file: the Go side streams it to the download
  // folder (SWITCHBOARD_DOWNLOAD_DIR; without one it asks with the native save dialog),
  // and the bytes on disk are the ones the customer sent. (The row's "Saved" state is
  // covered by the component tests.)
  await download.click();
  await agentFile.locator('[data-testid="file-download"]:disabled, .msg-file-saved, .msg-file-error')
    .first().waitFor({ timeout: 15_000 });
  assert.equal(await agentFile.locator('.msg-file-error').count(), 0, 'download failed');
  const saved = join(desktop.downloads, 'receipt-0099.pdf');
  const deadline = Date.now() + 30_000;
  while (!(existsSync(saved) && readFileSync(saved).equals(pdf))) {
    if (Date.now() > deadline) {
      console.log('download row:', await agentFile.innerHTML().catch((e) => String(e)));
      console.log('download folder:', readdirSync(desktop.downloads),
        existsSync(saved) ? `${readFileSync(saved).length} bytes` : 'no file');
      assert.fail('the downloaded file never matched what the customer sent');
    }
    await agent.waitForTimeout(200);
  }

  await customerCtx.close();
  await agentCtx.close();
});
