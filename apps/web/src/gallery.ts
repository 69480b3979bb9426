// The grid of processed images: polls the API, shows fresh uploads as "processing" until their thumbnail exists.
import { ApiError, fetchImages, type ImageGroup } from './api';

const pollMs = 5_000;
const pendingPollMs = 1_500;
/** A fresh upload that has no rendition after this long is shown as failed (the processor may have sent it to the DLQ). */
const pendingTimeoutMs = 120_000;
const pageSize = 48;

interface Card {
  element: HTMLElement;
  lastModified: string;
  /** Set while the upload waits for its renditions. */
  pendingSince?: number;
}

function preferredRendition(group: ImageGroup, names: string[]) {
  for (const name of names) if (group.renditions[name]) return group.renditions[name];
  return Object.values(group.renditions)[0];
}

function displayName(source: string): string {
  // Upload keys are `<day>/<uuid>-<slug>`; the slug is what the person recognises.
  const last = source.split('/').pop() ?? source;
  return last.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/, '');
}

export class Gallery {
  private readonly cards = new Map<string, Card>();
  private cursor: string | undefined;
  private loadedOnce = false;

  constructor(
    private readonly grid: HTMLElement,
    private readonly status: HTMLElement,
    private readonly error: HTMLElement,
    private readonly more: HTMLButtonElement,
  ) {
    more.addEventListener('click', () => void this.loadMore());
  }

  start(): void {
    const tick = async () => {
      await this.refresh();
      setTimeout(tick, pollMs);
    };
    void tick();
  }

  /** Shows a just-uploaded image as processing and polls for its renditions. */
  trackUpload(source: string): void {
    const card = this.card(source, new Date().toISOString());
    card.pendingSince = Date.now();
    this.renderPending(source, card);
    this.arrange();
    const poll = async () => {
      if (card.pendingSince === undefined) return;
      try {
        const page = await fetchImages({ prefix: `${source}/`, limit: 1 });
        const group = page.images.find((g) => g.source === source);
        if (group) return this.show(group);
      } catch {
        // The general poll reports API errors; this one just tries again.
      }
      if (Date.now() - card.pendingSince > pendingTimeoutMs) return this.renderFailed(source, card);
      setTimeout(poll, pendingPollMs);
    };
    void poll();
  }

  private async refresh(): Promise<void> {
    try {
      const page = await fetchImages({ limit: pageSize });
      for (const group of page.images) this.show(group);
      if (!this.loadedOnce) {
        this.cursor = page.nextCursor;
        this.more.hidden = page.nextCursor === undefined;
      }
      this.loadedOnce = true;
      this.error.hidden = true;
      this.setStatus();
    } catch (error) {
      this.error.hidden = false;
      this.error.textContent = `Could not load images: ${error instanceof ApiError || error instanceof Error ? error.message : String(error)}. Retrying…`;
      this.status.textContent = 'offline';
      this.status.className = 'status status-error';
    }
  }

  private async loadMore(): Promise<void> {
    if (this.cursor === undefined) return;
    this.more.disabled = true;
    try {
      const page = await fetchImages({ limit: pageSize, cursor: this.cursor });
      for (const group of page.images) this.show(group);
      this.cursor = page.nextCursor;
      this.more.hidden = page.nextCursor === undefined;
    } catch (error) {
      this.error.hidden = false;
      this.error.textContent = `Could not load more images: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.more.disabled = false;
    }
  }

  private setStatus(): void {
    const ready = [...this.cards.values()].filter((c) => c.pendingSince === undefined).length;
    this.status.textContent = ready === 0 ? 'no images yet' : `${ready} image${ready === 1 ? '' : 's'}`;
    this.status.className = 'status status-live';
  }

  private card(source: string, lastModified: string): Card {
    let card = this.cards.get(source);
    if (!card) {
      const element = document.createElement('figure');
      element.className = 'card';
      element.dataset.source = source;
      card = { element, lastModified };
      this.cards.set(source, card);
    }
    return card;
  }

  private show(group: ImageGroup): void {
    const existing = this.cards.get(group.source);
    // Presigned URLs change on every poll; a card that already shows its image keeps it instead of reloading.
    if (existing && existing.pendingSince === undefined && existing.element.querySelector('img')) return;
    const card = this.card(group.source, group.lastModified);
    card.pendingSince = undefined;
    card.lastModified = group.lastModified;
    const thumb = preferredRendition(group, ['thumb', 'preview']);
    const full = preferredRendition(group, ['preview', 'thumb']);
    if (!thumb || !full) return;
    const link = Object.assign(document.createElement('a'), { href: full.url, target: '_blank', rel: 'noopener' });
    const image = Object.assign(document.createElement('img'), { src: thumb.url, alt: displayName(group.source), loading: 'lazy', decoding: 'async' });
    image.dataset.testid = 'thumbnail';
    link.append(image);
    const caption = Object.assign(document.createElement('figcaption'), { textContent: displayName(group.source), title: group.source });
    card.element.className = 'card';
    card.element.replaceChildren(link, caption);
    this.arrange();
    this.setStatus();
  }

  private renderPending(source: string, card: Card): void {
    const box = Object.assign(document.createElement('div'), { className: 'pending' });
    box.append(Object.assign(document.createElement('span'), { className: 'spinner' }), document.createTextNode('processing…'));
    card.element.className = 'card card-pending';
    card.element.replaceChildren(box, Object.assign(document.createElement('figcaption'), { textContent: displayName(source) }));
  }

  private renderFailed(source: string, card: Card): void {
    card.pendingSince = undefined;
    card.element.className = 'card card-failed';
    card.element.replaceChildren(
      Object.assign(document.createElement('div'), { className: 'pending', textContent: 'not processed — the image may be unreadable' }),
      Object.assign(document.createElement('figcaption'), { textContent: displayName(source) }),
    );
  }

  /** Processing uploads first, then newest first. */
  private arrange(): void {
    const ordered = [...this.cards.values()].sort((a, b) => {
      if ((a.pendingSince !== undefined) !== (b.pendingSince !== undefined)) return a.pendingSince !== undefined ? -1 : 1;
      return b.lastModified.localeCompare(a.lastModified);
    });
    this.grid.replaceChildren(...ordered.map((c) => c.element));
  }
}
