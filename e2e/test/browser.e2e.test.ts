import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOperatorUi, launchChromium } from '@wa-broker/infra/browser';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisePng } from '../src/media-files.js';
import { type ChatEntry, isE2eAgent, Phone } from '../src/phone.js';
import { registerNumber } from '../src/register-number.js';
import { type System, startSystem } from '../src/system.js';

/** Screenshots for people (and CI artifacts); git-ignored. */
const outputDir = fileURLToPath(new URL('../test-results/', import.meta.url));
let system: System;
let browser: BrowserContext;

beforeAll(async () => {
  const [uiDir, context] = await Promise.all([
    buildOperatorUi(),
    launchChromium({ width: 1100, height: 760 }),
    mkdir(outputDir, { recursive: true }),
  ]);
  browser = context;
  system = await startSystem({ operatorUiDir: uiDir, media: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

type MediaEntry = ChatEntry & { media?: { id: string; sha256: string; url: string } };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What the operator's browser gets at an element's link (src or href): the bytes' sha256, computed in the page. */
async function digestInPage(page: Page, element: Locator): Promise<string> {
  await element.waitFor({ timeout: 30_000 });
  const url = await element.evaluate((node) => node.getAttribute('src') ?? node.getAttribute('href') ?? '');
  return page.evaluate(async (link) => {
    const bytes = await (await fetch(link)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, url);
}

async function shoot(phone: Page, operator: Page, name: string): Promise<void> {
  await phone.screenshot({ path: join(outputDir, `${name}-phone.png`) });
  await operator.screenshot({ path: join(outputDir, `${name}-operator.png`) });
}

describe('the demo in a real browser: simulated phone and operator inbox side by side', () => {
  it('says hi, picks the agent, gets an answer from the operator, and the operator sees it read', async () => {
    await fetch(`${system.simulator.url}/sim/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wa_id: '15558000001', name: 'Ana Lima' }),
    });
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 700, height: 780 });
    await phone.goto(system.simulator.url);
    await phone.locator('#title').getByText('Ana Lima').waitFor(); // the page picked the user
    const operator = await browser.newPage();
    await operator.goto(`${system.agent.url}/?token=${system.operatorToken}`);
    await operator.getByTestId('connection').getByText('Connected').waitFor();

    await phone.getByLabel('Message').fill('Oi! Preciso de ajuda com meu pedido');
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    await phone.getByRole('button', { name: new RegExp(`^${system.agentName}`) }).click({ timeout: 20_000 });

    await operator.getByRole('button', { name: /Ana Lima/ }).click({ timeout: 20_000 });
    await operator.getByTestId('bubble').getByText('Oi! Preciso de ajuda com meu pedido').waitFor();
    await operator.getByLabel('Message', { exact: true }).fill('Olá Ana! Vou verificar agora mesmo.');
    await operator.getByRole('button', { name: 'Send' }).click();

    await phone
      .locator('.bubble.out')
      .getByText('Olá Ana! Vou verificar agora mesmo.')
      .waitFor({ timeout: 20_000 });
    // The phone page sends read receipts while it shows the chat; the operator sees blue ticks.
    await operator.locator('[data-status="read"]').first().waitFor({ timeout: 20_000 });
    await shoot(phone, operator, 'demo');
  }, 90_000);

  // Issue 18 "done when": the user's photo, voice note, video, PDF and sticker open in the operator inbox with the
  // bytes the user sent; the operator's photo, PDF and voice note reach the phone.
  it('shows and plays what the user sent, byte for byte, and sends the operator’s files to the phone', async () => {
    const phone = new Phone(system.simulator.url);
    const waId = '15558100001';
    await phone.act(waId, { type: 'text', text: 'Hi, my parcel arrived broken', name: 'Bea Costa' });
    await phone.choose(waId, isE2eAgent);
    const sent = {
      image: (await phone.act(waId, { type: 'image', caption: 'The box' })) as MediaEntry,
      audio: (await phone.act(waId, { type: 'audio', voice: true })) as MediaEntry,
      video: (await phone.act(waId, { type: 'video' })) as MediaEntry,
      document: (await phone.act(waId, { type: 'document', filename: 'receipt.pdf' })) as MediaEntry,
      sticker: (await phone.act(waId, { type: 'sticker' })) as MediaEntry,
    };

    const operator = await browser.newPage();
    await operator.goto(`${system.agent.url}/?token=${system.operatorToken}`);
    await operator.getByRole('button', { name: /Bea Costa/ }).click({ timeout: 20_000 });
    // The photo is shown (decoded: it has a size), the voice note is playable (its length is known).
    const image = operator.getByTestId('media-image').first();
    await image.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => image.evaluate((node) => (node as unknown as { naturalWidth: number }).naturalWidth), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const audio = operator.getByTestId('media-audio').first();
    await expect
      .poll(() => audio.evaluate((node) => (node as unknown as { readyState: number }).readyState), {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(1);
    // The video (the simulator's H.264/AAC sample) loads through the backend's proxy and plays: its frames are
    // decoded (160×120) and its clock moves (muted, as browsers let a page start playback on its own).
    const video = operator.getByTestId('media-video').first();
    await expect
      .poll(
        () =>
          video.evaluate((node) => {
            const player = node as unknown as { readyState: number; videoWidth: number; videoHeight: number };
            return player.readyState >= 2 ? [player.videoWidth, player.videoHeight] : null;
          }),
        { timeout: 30_000 },
      )
      .toEqual([160, 120]);
    await video.evaluate(async (node) => {
      const player = node as unknown as { muted: boolean; play(): Promise<void> };
      player.muted = true;
      await player.play();
    });
    // However busy the machine, the clip's clock moves (a stalled or undecodable one stays at 0).
    await expect
      .poll(() => video.evaluate((node) => (node as unknown as { currentTime: number }).currentTime), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0.2);
    for (const [element, entry] of [
      [image, sent.image],
      [audio, sent.audio],
      [video, sent.video],
      [operator.getByTestId('media-document').first(), sent.document],
      [operator.getByTestId('media-sticker').first(), sent.sticker],
    ] as const) {
      expect(await digestInPage(operator, element), entry.type).toBe(entry.media?.sha256);
    }
    await operator.getByTestId('bubble').getByText('receipt.pdf').first().waitFor();
    await operator.screenshot({ path: join(outputDir, 'media-received-operator.png'), fullPage: true });

    // The operator sends a photo, a PDF and a voice note from the composer.
    const voiceBytes = Buffer.from(
      await (await fetch(`${system.simulator.url}${sent.audio.media?.url}`)).arrayBuffer(),
    );
    const files = [
      {
        name: 'replacement.png',
        mimeType: 'image/png',
        buffer: noisePng(120, 90),
        type: 'image',
        caption: 'Your replacement',
      },
      {
        name: 'invoice-4821.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(60_000), Buffer.from('\n%%EOF\n')]),
        type: 'document',
      },
      { name: 'voice.ogg', mimeType: 'audio/ogg', buffer: voiceBytes, type: 'audio', voice: true },
    ];
    for (const file of files) {
      await operator
        .getByTestId('attach-file')
        .setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
      if (file.caption) await operator.getByTestId('media-caption-input').fill(file.caption);
      if (file.voice) await operator.getByLabel('Send as a voice note').check();
      await operator.getByTestId('send-media').click();
      // Sent: the composer is back for the next file.
      await operator.getByTestId('media-draft-file').waitFor({ state: 'detached', timeout: 30_000 });
      const received = await phone.waitFor(
        waId,
        (entry) => entry.type === file.type,
        `the operator's ${file.type}`,
      );
      await expect
        .poll(
          async () =>
            ((await phone.chat(waId)).find((e) => e.wamid === received.wamid) as MediaEntry | undefined)
              ?.media?.sha256,
          { timeout: 20_000 },
        )
        .toBe(sha256(file.buffer));
    }
    await operator
      .locator('[data-status="delivered"], [data-status="read"]')
      .nth(2)
      .waitFor({ timeout: 20_000 });
    // The operator's own photo shows in its bubble, from the copy the broker kept.
    const ownPhoto = operator.getByTestId('media-image').last();
    await expect
      .poll(() => ownPhoto.evaluate((node) => (node as unknown as { naturalWidth: number }).naturalWidth), {
        timeout: 30_000,
      })
      .toBe(120);
    await operator.screenshot({ path: join(outputDir, 'media-sent-operator.png'), fullPage: true });
    const page = await browser.newPage();
    await page.goto(`${system.simulator.url}/?user=${waId}`);
    await page.screenshot({ path: join(outputDir, 'media-phone.png'), fullPage: true });
  }, 150_000);
  // Issue 19 §4: the operator's template picker in a real browser — the number's approved templates (synced from the
  // simulator once the number is registered), a live preview filled as the operator types, sent past the window.
  it('offers the number’s approved templates in the picker, previews the parameters as typed and sends one', async () => {
    const registered = await registerNumber(system);
    expect(registered.status).toBe(201);
    const phone = new Phone(system.simulator.url);
    const waId = '15558300001';
    await phone.act(waId, { type: 'text', text: 'Any news on my order?', name: 'Caio Lima' });
    await phone.choose(waId, isE2eAgent);
    await phone.setLastInbound(waId, new Date(Date.now() - 25 * 3_600_000));

    const operator = await browser.newPage();
    await operator.goto(`${system.agent.url}/?token=${system.operatorToken}`);
    await operator.getByRole('button', { name: /Caio Lima/ }).click({ timeout: 20_000 });
    await operator.getByRole('tab', { name: 'Template', exact: true }).click();
    await operator
      .locator('[data-testid="template-option"][data-template-name="follow_up"]')
      .click({ timeout: 30_000 });
    await operator.getByTestId('template-param-input').first().fill('Caio');
    await expect
      .poll(() => operator.getByTestId('template-preview').textContent(), { timeout: 10_000 })
      .toContain('Hi Caio, we have an update on your request.');
    await operator.screenshot({ path: join(outputDir, 'template-picker-operator.png'), fullPage: true });
    await operator.getByTestId('send-template').click();
    const received = await phone.waitFor(waId, (entry) => entry.type === 'template', 'the template');
    expect((received as ChatEntry & { template?: { body?: string } }).template?.body).toBe(
      'Hi Caio, we have an update on your request. Reply to this message to continue.',
    );
  }, 90_000);
});
