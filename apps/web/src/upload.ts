// The upload form: asks the API for a presigned URL, PUTs the file to the object store, hands the source to the gallery.
import { isAllowedImageType } from '../../../contracts/upload-types';
import { requestUploadUrl, uploadFile } from './api';

type State = 'idle' | 'busy' | 'done' | 'error';

export function wireUploadForm(form: HTMLFormElement, status: HTMLElement, onUploaded: (source: string) => void): void {
  const input = form.querySelector<HTMLInputElement>('input[type=file]');
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (!input || !button) throw new Error('upload form needs a file input and a submit button');

  const show = (state: State, message: string) => {
    status.textContent = message;
    status.className = `message message-${state}`;
    status.dataset.state = state;
    button.disabled = state === 'busy';
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    if (!file) return show('error', 'Choose an image first.');
    if (!isAllowedImageType(file.type)) return show('error', `${file.name} is not a JPEG, PNG, WebP, AVIF or GIF image.`);
    try {
      show('busy', `Uploading ${file.name}…`);
      const ticket = await requestUploadUrl(file);
      await uploadFile(ticket, file);
      show('done', `Uploaded ${file.name}; the thumbnail appears when it is processed.`);
      form.reset();
      onUploaded(ticket.source);
    } catch (error) {
      show('error', `Upload failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
