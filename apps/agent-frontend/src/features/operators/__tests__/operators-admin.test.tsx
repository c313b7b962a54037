import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OperatorsAdmin } from '../components/operators-admin.js';

const account = (id: string, name: string, role = 'operator', disabled = false) => ({
  id,
  name,
  email: `${id}@example.com`,
  role,
  disabled,
  created_at: '2026-01-01T00:00:00.000Z',
});

/** A stand-in for the backend's /api/operators: answers from a list it keeps. */
let accounts: ReturnType<typeof account>[];
const calls: { method: string; url: string; body?: unknown; auth?: string | undefined }[] = [];
const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const method = init?.method ?? 'GET';
  const url = String(input);
  const body = init?.body ? JSON.parse(String(init.body)) : undefined;
  calls.push({ method, url, body, auth: (init?.headers as Record<string, string>)?.authorization });
  const respond = (status: number, value?: unknown) =>
    new Response(value === undefined ? null : JSON.stringify(value), { status });
  if (method === 'GET') return respond(200, { operators: accounts });
  if (method === 'POST') {
    if (accounts.some((item) => item.email === body.email)) return respond(409, { error: 'email_taken' });
    const created = { ...account(`op-${accounts.length + 1}`, body.name, body.role), email: body.email };
    accounts.push(created);
    return respond(201, { operator: created });
  }
  const id = url.split('/').at(-1);
  if (method === 'PATCH') {
    if (id === 'op-ana' && body.disabled) return respond(409, { error: 'last_admin' });
    accounts = accounts.map((item) => (item.id === id ? { ...item, ...body } : item));
    return respond(200, { operator: accounts.find((item) => item.id === id) });
  }
  accounts = accounts.map((item) => (item.id === id ? { ...item, disabled: true } : item));
  return respond(204);
});

beforeEach(() => {
  accounts = [account('op-ana', 'Ana', 'admin'), account('op-bea', 'Bea')];
  calls.length = 0;
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('confirm', () => true);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const rowOf = (email: string) =>
  screen.getAllByTestId('operator-row').find((row) => row.dataset.email === email) as HTMLElement;

describe('OperatorsAdmin', () => {
  it('lists the accounts and creates one (name, email, role, password)', async () => {
    render(<OperatorsAdmin token={null} me="op-ana" />);
    expect(await screen.findByText('Ana (you)')).toBeTruthy();
    const form = screen.getByRole('form', { name: 'New operator' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Caio' } });
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'caio@example.com' } });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'admin' } });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'long-enough-1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create operator' }));
    await vi.waitFor(() => expect(rowOf('caio@example.com')).toBeTruthy());
    expect(calls.find((call) => call.method === 'POST')).toMatchObject({
      url: '/api/operators',
      body: { name: 'Caio', email: 'caio@example.com', role: 'admin', password: 'long-enough-1' },
      auth: undefined,
    });
    expect(rowOf('caio@example.com').textContent).toContain('admin');
  });

  it('refuses a short password before asking, and says when the email is taken', async () => {
    render(<OperatorsAdmin token="dev" me={null} />);
    await screen.findByText('Bea');
    const form = screen.getByRole('form', { name: 'New operator' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Bea 2' } });
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'op-bea@example.com' } });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create operator' }));
    expect(await within(form).findByText('at least 10 characters')).toBeTruthy();
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'long-enough-1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create operator' }));
    // The client-side refusal's alert is still there until the server's answer replaces it: wait for that text.
    await vi.waitFor(() =>
      expect(within(form).getByRole('alert').textContent).toBe('An account with this email exists.'),
    );
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(1);
    // The development token goes as a Bearer header.
    expect(calls[0]?.auth).toBe('Bearer dev');
  });

  it('disables and enables an account, deletes one, and shows the last-admin refusal', async () => {
    render(<OperatorsAdmin token={null} me="op-ana" />);
    await screen.findByText('Bea');
    fireEvent.click(within(rowOf('op-bea@example.com')).getByRole('button', { name: 'Disable' }));
    await vi.waitFor(() => expect(rowOf('op-bea@example.com').textContent).toContain('Disabled'));
    expect(calls.find((call) => call.method === 'PATCH')).toMatchObject({
      url: '/api/operators/op-bea',
      body: { disabled: true },
    });
    fireEvent.click(within(rowOf('op-bea@example.com')).getByRole('button', { name: 'Enable' }));
    await vi.waitFor(() => expect(rowOf('op-bea@example.com').textContent).toContain('Enabled'));

    fireEvent.click(within(rowOf('op-ana@example.com')).getByRole('button', { name: 'Disable' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This is the last enabled admin: make another admin first.',
    );
    fireEvent.click(within(rowOf('op-bea@example.com')).getByRole('button', { name: 'Delete' }));
    await vi.waitFor(() => expect(calls.some((call) => call.method === 'DELETE')).toBe(true));
    expect(calls.find((call) => call.method === 'DELETE')?.url).toBe('/api/operators/op-bea');
  });
});
