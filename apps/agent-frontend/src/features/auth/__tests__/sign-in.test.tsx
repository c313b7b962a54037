import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../app/app.js';
import { FakeBackendSocket } from '../../conversations/__tests__/fake-backend-socket.js';
import { signInFailure } from '../api/session.js';

const account = {
  id: 'op-ana',
  name: 'Ana',
  email: 'ana@example.com',
  role: 'operator',
  disabled: false,
  created_at: '2026-01-01T00:00:00.000Z',
};
const signedIn = { operator: account, expires_at: '2026-01-02T00:00:00.000Z' };
const json = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers });

let routes: Record<string, () => Response>;
const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const key = `${init?.method ?? 'GET'} ${String(input)}`;
  const route = routes[key];
  if (!route) throw new Error(`unexpected ${key}`);
  return route();
});

beforeEach(() => {
  FakeBackendSocket.instances = [];
  fetchMock.mockClear();
  routes = { 'GET /api/auth/me': () => json(401, { error: 'unauthorized' }) };
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('WebSocket', FakeBackendSocket);
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const fill = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Sign-in', () => {
  it('asks /api/auth/me first; without a session it shows the form, and a wrong password says so', async () => {
    routes['POST /api/auth/sign-in'] = () => json(401, { error: 'invalid_credentials' });
    render(<App />);
    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeTruthy();
    fill('Email', 'ana@example.com');
    fill('Password', 'nope');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password.');
    const [, init] = fetchMock.mock.calls.at(-1) as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toEqual({ email: 'ana@example.com', password: 'nope' });
    expect(FakeBackendSocket.instances).toHaveLength(0);
  });

  it('says when to try again after too many attempts (429, Retry-After)', async () => {
    routes['POST /api/auth/sign-in'] = () => json(429, { error: 'rate_limited' }, { 'retry-after': '600' });
    render(<App />);
    await screen.findByRole('form', { name: 'Sign in' });
    fill('Email', 'ana@example.com');
    fill('Password', 'guess-guess');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Too many sign-in attempts. Try again in 10 minutes.',
    );
    expect(signInFailure({ status: 429, retryAfter: 30 })).toBe(
      'Too many sign-in attempts. Try again in 30 seconds.',
    );
    expect(signInFailure({ status: 429 })).toBe('Too many sign-in attempts. Try again later.');
  });

  it('signs in, opens the socket with the cookie (no token in the URL), and signs out', async () => {
    routes['POST /api/auth/sign-in'] = () => json(200, signedIn);
    routes['POST /api/auth/sign-out'] = () => json(204);
    render(<App />);
    await screen.findByRole('form', { name: 'Sign in' });
    fill('Email', 'ana@example.com');
    fill('Password', 'right-password');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(FakeBackendSocket.instances).toHaveLength(1));
    const socket = FakeBackendSocket.instances[0] as FakeBackendSocket;
    expect(socket.url).toMatch(/\/ws$/);
    // An operator (not an admin) has no Operators screen.
    expect(screen.queryByRole('button', { name: 'Operators' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeTruthy();
    expect(
      fetchMock.mock.calls.some(([url, init]) => url === '/api/auth/sign-out' && init?.method === 'POST'),
    ).toBe(true);
  });

  it('goes straight to the inbox with a session, and back to sign-in when the server ends it', async () => {
    routes['GET /api/auth/me'] = () => json(200, signedIn);
    render(<App />);
    await vi.waitFor(() => expect(FakeBackendSocket.instances).toHaveLength(1));
    const socket = FakeBackendSocket.instances[0] as FakeBackendSocket;
    act(() => socket.open());
    act(() => socket.push({ type: 'signed_out', reason: 'disabled' }));
    expect((await screen.findByRole('status')).textContent).toBe('Your account was disabled by an admin.');
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeTruthy();
  });

  it('keeps the development token path: ?token= opens the inbox without asking for a session', async () => {
    window.history.replaceState(null, '', '/?token=dev-token');
    render(<App />);
    await vi.waitFor(() => expect(FakeBackendSocket.instances).toHaveLength(1));
    expect((FakeBackendSocket.instances[0] as FakeBackendSocket).url).toContain('/ws?token=dev-token');
    expect(window.location.search).toBe('');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
