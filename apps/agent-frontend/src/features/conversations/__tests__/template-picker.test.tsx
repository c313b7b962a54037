import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Composer } from '../components/composer.js';
import { ConnectedInbox } from './connected-inbox.js';
import { FakeBackendSocket } from './fake-backend-socket.js';
import { template } from './fixtures.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const shipping = template({ name: 'order_shipped' });
const welcome = template({
  name: 'welcome_back',
  language: 'pt_BR',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Olá de novo!' }],
});
const named = template({
  name: 'appointment',
  parameter_format: 'NAMED',
  components: [{ type: 'BODY', text: 'Hi {{first_name}}, see you at {{time}}.' }],
});
const paused = template({ name: 'old_promo', status: 'PAUSED' });

const options = () =>
  screen
    .queryAllByTestId('template-option')
    .map((option) => `${option.dataset.templateName}/${option.dataset.language}`);
const param = (name: string) =>
  screen
    .getAllByTestId('template-param-input')
    .find((input) => input.dataset.param === name) as HTMLInputElement;
const preview = () => screen.getByTestId('template-preview');
const sendButton = () => screen.getByTestId('send-template') as HTMLButtonElement;
const choose = (name: string) =>
  fireEvent.click(
    screen
      .getAllByTestId('template-option')
      .find((option) => option.dataset.templateName === name) as HTMLElement,
  );

function renderClosed(
  onSend = vi.fn().mockResolvedValue({ ok: true }),
  templates = [shipping, welcome, named],
) {
  const onLoadTemplates = vi.fn();
  render(
    <Composer windowOpen={false} onSend={onSend} onLoadTemplates={onLoadTemplates} templates={templates} />,
  );
  return { onSend, onLoadTemplates };
}

describe('Template picker', () => {
  it('opens by default once the window is closed and lists only approved templates, searchable', () => {
    const { onLoadTemplates } = renderClosed(vi.fn(), [shipping, welcome, paused]);
    expect(onLoadTemplates).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('template-picker')).toBeTruthy();
    expect(options()).toEqual(['order_shipped/en_US', 'welcome_back/pt_BR']);
    expect(screen.getAllByTestId('template-option')[1]?.textContent).toContain('marketing');
    fireEvent.change(screen.getByLabelText('Search templates'), { target: { value: 'welc' } });
    expect(options()).toEqual(['welcome_back/pt_BR']);
  });

  it('opens on request from the Template tab while the window is open', () => {
    const onLoadTemplates = vi.fn();
    render(<Composer windowOpen onSend={vi.fn()} onLoadTemplates={onLoadTemplates} templates={undefined} />);
    expect(screen.queryByTestId('template-picker')).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'Template' }));
    expect(onLoadTemplates).toHaveBeenCalledTimes(1);
    expect(screen.getByText(/Loading the approved templates/)).toBeTruthy();
  });

  it('fills the preview as each parameter is typed, and sends only once all are filled', async () => {
    const { onSend } = renderClosed();
    choose('order_shipped');
    expect(preview().textContent).toBe(
      'Order {{1}}Hello {{1}}, your order ships on {{2}}.Reply STOP to opt outThanks',
    );
    expect(preview().querySelectorAll('mark.param-empty')).toHaveLength(3);
    expect(screen.getAllByTestId('template-param-input').map((input) => input.dataset.param)).toEqual([
      'header.1',
      '1',
      '2',
    ]);
    expect(sendButton().disabled).toBe(true);

    fireEvent.change(param('1'), { target: { value: 'Ana' } });
    expect(preview().textContent).toContain('Hello Ana, your order ships on {{2}}.');
    expect(preview().querySelectorAll('mark.param-empty')).toHaveLength(2);
    fireEvent.change(param('header.1'), { target: { value: '#42' } });
    expect(sendButton().disabled).toBe(true);
    fireEvent.change(param('2'), { target: { value: 'Monday' } });
    expect(preview().textContent).toContain('Order #42Hello Ana, your order ships on Monday.');
    expect(preview().querySelectorAll('mark.param-empty')).toHaveLength(0);
    expect(sendButton().disabled).toBe(false);

    fireEvent.click(sendButton());
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        kind: 'template',
        name: 'order_shipped',
        language: 'en_US',
        header_parameters: ['#42'],
        body_parameters: ['Ana', 'Monday'],
      }),
    );
    // Sent: back to the list for the next one.
    await vi.waitFor(() => expect(options()).toHaveLength(3));
  });

  it('names the variables of a named template and sends a template without any at once', async () => {
    const { onSend } = renderClosed();
    choose('appointment');
    expect(screen.getByLabelText('{{first_name}}')).toBe(param('first_name'));
    fireEvent.change(param('first_name'), { target: { value: 'Ana' } });
    fireEvent.change(param('time'), { target: { value: '10:00' } });
    expect(preview().textContent).toBe('Hi Ana, see you at 10:00.');
    fireEvent.click(sendButton());
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        kind: 'template',
        name: 'appointment',
        language: 'en_US',
        body_parameters: ['Ana', '10:00'],
        parameter_names: { body: ['first_name', 'time'] },
      }),
    );
    await vi.waitFor(() => expect(options()).toHaveLength(3));
    choose('welcome_back');
    expect(screen.queryAllByTestId('template-param-input')).toHaveLength(0);
    fireEvent.click(sendButton());
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenLastCalledWith({
        kind: 'template',
        name: 'welcome_back',
        language: 'pt_BR',
        body_parameters: [],
      }),
    );
  });

  it('shows the backend’s refusal by the input it is about', async () => {
    const onSend = vi.fn().mockResolvedValue({
      ok: false,
      message: 'WhatsApp would refuse this template.',
      issues: [
        { path: 'body_parameters[1]', message: 'not a date WhatsApp accepts' },
        { path: 'name', message: '"order_shipped" (en_US) is paused; only approved templates can be sent' },
      ],
    });
    renderClosed(onSend);
    choose('order_shipped');
    fireEvent.change(param('header.1'), { target: { value: '#42' } });
    fireEvent.change(param('1'), { target: { value: 'Ana' } });
    fireEvent.change(param('2'), { target: { value: 'someday' } });
    fireEvent.click(sendButton());
    await vi.waitFor(() => expect(param('2').getAttribute('aria-invalid')).toBe('true'));
    expect(param('2').parentElement?.textContent).toContain('not a date WhatsApp accepts');
    expect(param('1').getAttribute('aria-invalid')).toBeNull();
    const general = screen
      .getAllByRole('alert')
      .map((alert) => alert.textContent)
      .join(' ');
    expect(general).toContain('WhatsApp would refuse this template.');
    expect(general).toContain('is paused');
  });
});

describe('Template picker over the socket', () => {
  beforeEach(() => {
    FakeBackendSocket.instances = [];
    FakeBackendSocket.listed = { window_expires_at: '2026-01-01T00:00:00.000Z', phone_number_id: '1065' };
    FakeBackendSocket.templates = { phone_number_id: '1065', templates: [shipping, welcome] };
    vi.stubGlobal('WebSocket', FakeBackendSocket);
  });
  afterEach(() => {
    FakeBackendSocket.listed = {};
    FakeBackendSocket.templates = { phone_number_id: null, templates: [] };
  });

  it('asks for the conversation’s templates and follows the server’s pushes', async () => {
    render(<ConnectedInbox token="t" />);
    const socket = FakeBackendSocket.instances[0] as FakeBackendSocket;
    act(() => socket.open());
    const listed = await screen.findByText('Ana 1');
    act(() => listed.click());
    await vi.waitFor(() => expect(options()).toEqual(['order_shipped/en_US', 'welcome_back/pt_BR']));
    expect(socket.requests.find((request) => request.type === 'list_templates')).toMatchObject({
      wa_id: '5511',
    });

    // welcome_back is paused: the server pushes the number's approved templates again.
    act(() =>
      socket.push({ type: 'templates', phone_number_id: '1065', waba_id: '1000', templates: [shipping] }),
    );
    expect(options()).toEqual(['order_shipped/en_US']);
    // Another number's change is not this conversation's.
    act(() => socket.push({ type: 'templates', phone_number_id: '2000', waba_id: '2', templates: [] }));
    expect(options()).toEqual(['order_shipped/en_US']);

    // Pushes missed while offline: the list is asked for again after reconnecting.
    act(() => socket.close());
    await vi.waitFor(() => expect(FakeBackendSocket.instances).toHaveLength(2), { timeout: 3000 });
    const again = FakeBackendSocket.instances[1] as FakeBackendSocket;
    act(() => again.open());
    await vi.waitFor(() => expect(options()).toEqual(['order_shipped/en_US', 'welcome_back/pt_BR']));
    expect(again.requests.map((request) => request.type)).toContain('list_templates');
  });
});
