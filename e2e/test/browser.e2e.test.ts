import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOperatorUi, launchChromium } from '@wa-broker/infra/browser';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
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
  system = await startSystem({ operatorUiDir: uiDir });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

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
});
