import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MediaUploader, UploadResult } from '../../../lib/media-upload.js';
import { Composer } from '../components/composer.js';
import { template } from './fixtures.js';

afterEach(cleanup);

const MB = 1024 * 1024;
const fileOf = (name: string, type: string, size: number) => new File([new Uint8Array(size)], name, { type });
const uploadedAs = (id: string, type: string): UploadResult => ({
  ok: true,
  media: {
    id,
    phone_number_id: '111',
    type,
    mime_type: 'image/png',
    size: 4,
    sha256: 'ab',
    filename: 'x',
    path: `/v1/media/111/${id}`,
  } as Extract<UploadResult, { ok: true }>['media'],
});

// An image header, a URL button with its suffix, a copy-code button (index 2), and a quick reply between.
const offer = template({
  name: 'spring_offer',
  category: 'MARKETING',
  components: [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1n'] } },
    { type: 'BODY', text: 'Hi {{1}}, our spring offer.' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Shop', url: 'https://shop.example/o/{{1}}' },
        { type: 'QUICK_REPLY', text: 'Not now' },
        { type: 'COPY_CODE', text: 'Copy code' },
      ],
    },
  ],
});
const receipt = template({
  name: 'receipt_ready',
  components: [
    { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::cGRm'] } },
    { type: 'BODY', text: 'Your receipt is attached.' },
  ],
});

/** An upload the test finishes by hand. */
function heldUpload() {
  let finish: (result: UploadResult) => void = () => undefined;
  const onUpload = vi.fn<MediaUploader>(
    (request) =>
      new Promise((resolve) => {
        finish = resolve;
        request.onProgress?.({ loaded: 2, total: 4 });
        request.signal?.addEventListener('abort', () => resolve({ ok: false, kind: 'cancelled' }));
      }),
  );
  return { onUpload, finish: (result: UploadResult) => finish(result) };
}

function renderPicker(onUpload: MediaUploader, onSend = vi.fn().mockResolvedValue({ ok: true })) {
  render(
    <Composer
      windowOpen={false}
      onSend={onSend}
      onUpload={onUpload}
      onLoadTemplates={vi.fn()}
      templates={[offer, receipt]}
    />,
  );
  return { onSend };
}

const choose = (name: string) =>
  fireEvent.click(
    screen
      .getAllByTestId('template-option')
      .find((option) => option.dataset.templateName === name) as HTMLElement,
  );
const param = (name: string) =>
  screen
    .getAllByTestId('template-param-input')
    .find((input) => input.dataset.param === name) as HTMLInputElement;
const headerFile = () => screen.getByTestId('template-header-file') as HTMLInputElement;
const pick = (file: File) => fireEvent.change(headerFile(), { target: { files: [file] } });
const sendButton = () => screen.getByTestId('send-template') as HTMLButtonElement;
const preview = () => screen.getByTestId('template-preview');

describe('Template picker: media headers and button values', () => {
  it('uploads the header photo with progress, takes each button’s value, and sends once all are given', async () => {
    const held = heldUpload();
    const { onSend } = renderPicker(held.onUpload);
    choose('spring_offer');
    expect(screen.queryByText(/send it through the API/)).toBeNull();
    expect(headerFile().accept).toBe('image/jpeg,image/png');
    expect(screen.getAllByTestId('template-param-input').map((input) => input.dataset.param)).toEqual([
      '1',
      'button.0',
      'button.2',
    ]);
    expect(screen.getByLabelText('Button “Shop”: end of the link')).toBe(param('button.0'));
    expect(screen.getByLabelText('Button “Copy code”: code')).toBe(param('button.2'));
    fireEvent.change(param('1'), { target: { value: 'Ana' } });
    fireEvent.change(param('button.0'), { target: { value: 'spring-26' } });
    fireEvent.change(param('button.2'), { target: { value: 'SPRING25' } });
    expect(preview().textContent).toContain('https://shop.example/o/spring-26');
    expect(preview().textContent).toContain('SPRING25');
    // Every value but the header's file: not yet.
    expect(sendButton().disabled).toBe(true);

    pick(fileOf('offer.png', 'image/png', 4));
    expect(held.onUpload).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'image', filename: 'offer.png' }),
    );
    expect((screen.getByTestId('upload-progress') as HTMLProgressElement).value).toBe(2);
    expect(sendButton().disabled).toBe(true);
    held.finish(uploadedAs('media-offer-1', 'image'));
    await vi.waitFor(() => expect(sendButton().disabled).toBe(false));
    expect(screen.queryByTestId('upload-progress')).toBeNull();
    expect(screen.getByAltText('Preview of offer.png')).toBeTruthy();
    expect(preview().contains(screen.getByAltText('Preview of offer.png'))).toBe(true);

    fireEvent.change(param('button.2'), { target: { value: ' ' } });
    expect(sendButton().disabled).toBe(true);
    fireEvent.change(param('button.2'), { target: { value: 'SPRING25' } });
    fireEvent.click(sendButton());
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        kind: 'template',
        name: 'spring_offer',
        language: 'en_US',
        body_parameters: ['Ana'],
        header_media: { type: 'image', id: 'media-offer-1' },
        button_parameters: [
          { index: 0, text: 'spring-26' },
          { index: 2, text: 'SPRING25', sub_type: 'copy_code' },
        ],
      }),
    );
  });

  it('refuses a file of another kind or over Meta’s limit for the header, and never uploads it', () => {
    const onUpload = vi.fn<MediaUploader>();
    renderPicker(onUpload);
    choose('spring_offer');
    pick(fileOf('terms.pdf', 'application/pdf', 10));
    expect(screen.getByRole('alert').textContent).toBe(
      'File type: This header takes JPEG or PNG photos, not application/pdf files.',
    );
    pick(fileOf('huge.jpg', 'image/jpeg', 6 * MB));
    expect(screen.getByRole('alert').textContent).toBe(
      'Size: 6 MB is too large: WhatsApp takes photos up to 5 MB.',
    );
    expect(onUpload).not.toHaveBeenCalled();
    expect(sendButton().disabled).toBe(true);
  });

  it('sends a document header with its file name, and shows the backend’s refusals by their inputs', async () => {
    const onUpload = vi.fn<MediaUploader>(async () => uploadedAs('media-doc-1', 'document'));
    const onSend = vi.fn().mockResolvedValue({
      ok: false,
      message: 'WhatsApp would refuse this template.',
      issues: [{ path: 'header_media', message: 'the header takes document, not image' }],
    });
    renderPicker(onUpload, onSend);
    choose('receipt_ready');
    expect(headerFile().accept).toContain('application/pdf');
    pick(fileOf('receipt.pdf', 'application/pdf', 10));
    await vi.waitFor(() => expect(sendButton().disabled).toBe(false));
    expect(preview().textContent).toContain('receipt.pdf');
    fireEvent.click(sendButton());
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        kind: 'template',
        name: 'receipt_ready',
        language: 'en_US',
        body_parameters: [],
        header_media: { type: 'document', id: 'media-doc-1', filename: 'receipt.pdf' },
      }),
    );
    await vi.waitFor(() => expect(headerFile().getAttribute('aria-invalid')).toBe('true'));
    expect(headerFile().parentElement?.textContent).toContain('the header takes document, not image');
  });

  it('shows a refused button value by its input', async () => {
    const onSend = vi.fn().mockResolvedValue({
      ok: false,
      message: 'WhatsApp would refuse this template.',
      issues: [{ path: 'button_parameters[1]', message: 'the button 2 takes coupon_code, not text' }],
    });
    renderPicker(
      vi.fn<MediaUploader>(async () => uploadedAs('media-offer-2', 'image')),
      onSend,
    );
    choose('spring_offer');
    pick(fileOf('offer.png', 'image/png', 4));
    fireEvent.change(param('1'), { target: { value: 'Ana' } });
    fireEvent.change(param('button.0'), { target: { value: 'a' } });
    fireEvent.change(param('button.2'), { target: { value: 'CODE' } });
    await vi.waitFor(() => expect(sendButton().disabled).toBe(false));
    fireEvent.click(sendButton());
    await vi.waitFor(() => expect(param('button.2').getAttribute('aria-invalid')).toBe('true'));
    expect(param('button.2').parentElement?.textContent).toContain('takes coupon_code, not text');
    expect(param('button.0').getAttribute('aria-invalid')).toBeNull();
  });
});
