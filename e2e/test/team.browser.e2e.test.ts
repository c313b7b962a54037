import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOperatorUi, launchChromium } from '@wa-broker/infra/browser';
import { eventually } from '@wa-broker/infra/poll';
import { readTopics } from '@wa-broker/infra/topic-reader';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isE2eAgent, Phone } from '../src/phone.js';
import { type System, startSystem } from '../src/system.js';

// Issue 20 "done when", in Chromium: two operators signed in at once (two browsers: two cookie jars).
const outputDir = fileURLToPath(new URL('../test-results/', import.meta.url));
let system: System;
let first: BrowserContext;
let second: BrowserContext;

beforeAll(async () => {
  const [uiDir, a, b] = await Promise.all([
    buildOperatorUi(),
    launchChromium({ width: 1200, height: 800 }),
    launchChromium({ width: 1200, height: 800 }),
    mkdir(outputDir, { recursive: true }),
  ]);
  first = a;
  second = b;
  system = await startSystem({ operatorUiDir: uiDir });
}, 180_000);

afterAll(async () => {
  await first?.close();
  await second?.close();
  await system?.stop();
});

async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept()); // "Delete …?" confirmations
  await page.goto(system.agent.url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: 20_000 });
  return page;
}

// The user is keyed by a business-scoped id (BSUID) when Meta sends one: rows are found by the user's name.
const row = (page: Page, name: string) => page.locator('[data-testid="conversation-row"]', { hasText: name });
const view = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

describe('a team of two operators in real browsers', () => {
  it('queue, claim, typing, answer, internal note, canned reply, resolve and reopen, search', async () => {
    const phone = new Phone(system.simulator.url);
    const waId = '15558700001';
    const user = 'Dora Lima';
    const oldWord = 'blender';
    const noteText = `Internal: refund approved by finance ${system.runId}`;
    const cannedText = `We have issued your refund; it reaches your card within 5 days (${system.runId}).`;
    const colleague = {
      name: 'Bea Team',
      email: `bea-${system.runId}@e2e.example.com`,
      password: `bea-${system.runId}-password`,
    };

    // The seeded admin signs in, creates a colleague and a canned reply from the UI.
    const admin = await signIn(first, system.operatorAdmin.email, system.operatorAdmin.password);
    await view(admin, 'Operators').click();
    const form = admin.getByRole('form', { name: 'New operator' });
    await form.getByLabel('Name').fill(colleague.name);
    await form.getByLabel('Email').fill(colleague.email);
    await form.getByLabel('Password').fill(colleague.password);
    await form.getByRole('button', { name: 'Create operator' }).click();
    await admin.locator(`[data-testid="operator-row"][data-email="${colleague.email}"]`).waitFor();
    await view(admin, 'Canned replies').click();
    const newCanned = admin.getByRole('form', { name: 'New canned reply' });
    await newCanned.getByLabel('Shortcut').fill('/refund');
    await newCanned.getByLabel('Text').fill(cannedText);
    await newCanned.getByRole('button', { name: 'Add canned reply' }).click();
    await admin.locator('[data-testid="canned-row"][data-shortcut="/refund"]').waitFor();
    await view(admin, 'Inbox').click();

    const bea = await signIn(second, colleague.email, colleague.password);
    // Presence: the admin sees the colleague online.
    await admin.getByTestId('team').click();
    await admin
      .locator('[data-testid="team-member"][data-online="true"]', { hasText: colleague.name })
      .waitFor({ timeout: 20_000 });

    // A new conversation: both see it in the queue.
    await phone.act(waId, { type: 'text', text: 'Hello, I need help', name: 'Dora Lima' });
    await phone.choose(waId, isE2eAgent);
    await phone.say(waId, `My ${oldWord} arrived with a cracked jar`, 'Dora Lima');
    for (const page of [admin, bea]) {
      await tab(page, 'Queue').click();
      await row(page, user).waitFor({ timeout: 20_000 });
    }

    // Bea claims it; the admin sees it taken at once.
    await row(bea, user).click();
    await bea.getByRole('button', { name: 'Claim' }).click();
    await bea.getByTestId('assignee').getByText('Assigned to you').waitFor();
    await row(admin, user).waitFor({ state: 'detached', timeout: 10_000 });
    await tab(admin, 'All').click();
    await expect
      .poll(() => row(admin, user).getByTestId('row-assignee').textContent())
      .toContain(colleague.name);
    await row(admin, user).click();
    await admin.getByTestId('assignee').getByText(`Assigned to ${colleague.name}`).waitFor();
    expect(await admin.getByRole('button', { name: 'Claim' }).count()).toBe(0);

    // Bea types: the phone shows "typing…" (its page and the simulator's API), the admin sees her typing; then she
    // answers, and the phone's "typing…" ends with the answer.
    const phonePage = await first.newPage();
    await phonePage.goto(`${system.simulator.url}/?user=${waId}`);
    const phoneTyping = phonePage.locator('#subtitle');
    await phoneTyping.waitFor();
    const composer = bea.getByLabel('Message', { exact: true });
    await composer.fill('Hi Dora, sorry about the jar.');
    await eventually(
      async () => {
        const answer = await fetch(`${system.simulator.url}/sim/users/${waId}/typing`);
        return ((await answer.json()) as { typing: boolean }).typing || undefined;
      },
      { what: 'the phone to show typing…', timeoutMs: 15_000, intervalMs: 200 },
    );
    await admin.getByTestId('colleague-typing').getByText(`${colleague.name} is typing…`).waitFor();
    await expect.poll(() => phoneTyping.getAttribute('data-typing'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => phoneTyping.textContent()).toBe('typing…');
    await composer.press('Enter');
    await phone.waitFor(waId, (entry) => Phone.text(entry) === 'Hi Dora, sorry about the jar.', 'the answer');
    await expect.poll(() => phoneTyping.getAttribute('data-typing'), { timeout: 15_000 }).toBe('false');
    await phonePage.close();

    // An internal note: both operators see it, the user never does.
    await bea.getByRole('tab', { name: 'Notes' }).click();
    await bea.getByLabel('Note', { exact: true }).fill(noteText);
    await bea.getByRole('button', { name: 'Add note' }).click();
    await bea.getByTestId('note').getByText(noteText).waitFor();
    await admin.getByRole('tab', { name: 'Notes' }).click();
    await admin.getByTestId('note').getByText(noteText).waitFor({ timeout: 10_000 });
    await admin.getByRole('tab', { name: 'Messages' }).click();
    await bea.getByRole('tab', { name: 'Messages' }).click();

    // A canned reply by its shortcut: /ref offers /refund, Tab inserts its text, Enter sends it.
    await composer.fill('/ref');
    await bea.locator('[data-testid="canned-suggestions"] [data-shortcut="/refund"]').waitFor();
    await composer.press('Tab');
    await expect.poll(() => composer.inputValue()).toBe(cannedText);
    await composer.press('Enter');
    await phone.waitFor(waId, (entry) => Phone.text(entry) === cannedText, 'the canned reply');
    await bea.screenshot({ path: join(outputDir, 'team-claimer.png') });
    await admin.screenshot({ path: join(outputDir, 'team-colleague.png') });

    // Resolved: it leaves the open lists; the user writes again and it reopens for Bea.
    await bea.getByRole('button', { name: 'Resolve' }).click();
    await bea.getByTestId('status-badge').getByText('Resolved').waitFor();
    await tab(bea, 'Mine').click();
    await row(bea, user).waitFor({ state: 'detached' });
    await row(admin, user).waitFor({ state: 'detached', timeout: 10_000 });
    await phone.say(waId, 'Also, the lid is missing', 'Dora Lima');
    await row(bea, user).waitFor({ timeout: 20_000 });
    await bea.getByTestId('status-badge').getByText('Open').waitFor();
    await bea.getByTestId('assignee').getByText('Assigned to you').waitFor();
    await row(admin, user).waitFor({ timeout: 10_000 });
    expect(await row(admin, user).getAttribute('data-status')).toBe('open');
    expect(await row(admin, user).getAttribute('data-assignee')).toBe(
      await row(bea, user).getAttribute('data-assignee'),
    );

    // Search by a word of an old message finds it, with the snippet; opening the result opens the chat.
    await row(admin, user).click(); // leave it selected elsewhere…
    await admin.getByLabel('Search conversations').fill(oldWord);
    await admin.getByLabel('Search conversations').press('Enter');
    const result = admin.locator('[data-testid="search-result"]', { hasText: user });
    await result.waitFor({ timeout: 10_000 });
    expect(await result.getByTestId('search-snippet').textContent()).toContain(oldWord);
    await admin.getByRole('button', { name: 'Clear' }).click();
    await bea.getByLabel('Search conversations').fill(oldWord);
    await bea.getByLabel('Search conversations').press('Enter');
    await bea.locator('[data-testid="search-result"]', { hasText: user }).click();
    await bea.getByRole('region', { name: 'Chat with Dora Lima' }).waitFor();
    await bea.screenshot({ path: join(outputDir, 'team-search.png') });

    // The note never reached the user: not on the phone, not on the agent's -out topic.
    const chat = await phone.chat(waId);
    expect(JSON.stringify(chat)).not.toContain(noteText);
    const out = await readTopics(system.kafkaBrokers, [system.agentTopics.out]);
    expect(out.some((record) => record.value?.toString().includes(noteText))).toBe(false);
    expect(out.some((record) => record.value?.toString().includes(cannedText))).toBe(true);

    // Clean up what the UI created (the database goes with afterAll).
    await view(admin, 'Canned replies').click();
    await admin
      .locator('[data-testid="canned-row"][data-shortcut="/refund"]')
      .getByRole('button', { name: 'Delete' })
      .click();
    await admin.locator('[data-testid="canned-row"]').first().waitFor({ state: 'detached' });
    await view(admin, 'Operators').click();
    const beaRow = admin.locator(`[data-testid="operator-row"][data-email="${colleague.email}"]`);
    await beaRow.getByRole('button', { name: 'Delete' }).click();
    await beaRow.getByText('Disabled').waitFor();
  }, 180_000);
});
