import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFrontend, launchChromium, testOutputDir } from './support/browser.js';
import { inboundText, statusEvent } from './support/events.js';
import { createHarness, type Harness, operatorToken } from './support/harness.js';
import { readTopic, type TopicReader } from './support/topic-reader.js';

let harness: Harness;
let browser: BrowserContext;
let out: TopicReader;
let url: string;

beforeAll(async () => {
  const [staticDir, context, created] = await Promise.all([
    buildFrontend(),
    launchChromium(),
    createHarness(),
  ]);
  browser = context;
  harness = created;
  ({ url } = await harness.startInstance({ staticDir }));
  out = await readTopic(harness.kafka, harness.config.topics.out);
  await mkdir(testOutputDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await out?.close();
  await harness?.close();
});

describe('operator UI in a real browser', () => {
  it('receives a message from -in, answers it onto -out, and shows the reply read', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/?token=${operatorToken}`);
    await page.getByTestId('connection').getByText('Connected').waitFor();
    expect(page.url()).not.toContain('token='); // the token leaves the address bar

    const waID = '5511966660001';
    const inbound = inboundText(waID, 'Boa tarde! Meu pedido não chegou.');
    await harness.produceInbound(inbound);
    await page.getByRole('button', { name: /Maria Silva/ }).click();
    await page.getByTestId('bubble').getByText('Boa tarde! Meu pedido não chegou.').waitFor();
    await page
      .getByTestId('window')
      .getByText(/Window open · 2[34] h/)
      .waitFor();

    await page.getByLabel('Message', { exact: true }).fill('Sinto muito! Vou verificar agora.');
    await page.getByRole('button', { name: 'Send' }).click();
    const published = await out.waitFor<AgentOutboundMessage>(
      (value) => value.waID === waID && value.message_type === 'text',
    );
    expect(published).toMatchObject({
      v: 1,
      message_type: 'text',
      text: 'Sinto muito! Vou verificar agora.',
    });
    expect(published.idempotency_key).toBeTruthy();
    // Opening the conversation marked it read: WhatsApp got a read receipt for the user's message.
    const receipt = await out.waitFor<AgentOutboundMessage>((value) => value.message_type === 'mark_as_read');
    expect(receipt).toMatchObject({ waID, context_message_id: inbound.wamid });

    const wamid = 'wamid.e2e-reply';
    const key = published.idempotency_key ?? '';
    await harness.produceInbound(statusEvent(waID, 'delivered', { wamid, idempotency_key: key }));
    await harness.produceInbound(statusEvent(waID, 'read', { wamid, idempotency_key: key }));
    await page.locator(`[data-id="${key}"] [data-status="read"]`).waitFor();

    await page.screenshot({ path: join(testOutputDir, 'operator-inbox.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 760 });
    await page.screenshot({ path: join(testOutputDir, 'operator-inbox-narrow.png') });
    await page.close();
  });
});
