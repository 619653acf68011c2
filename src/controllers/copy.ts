/**
 * The "copy the link" buttons of `<cashdesk-qr>` and `<cashdesk-open-in-browser>`: writes the text
 * to the clipboard and keeps what to say about it for the element's live note.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Messages } from '../i18n/messages.js';

export class CopyController implements ReactiveController {
  private result: 'copied' | 'failed' | undefined = undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * Copies `text`. The note is emptied first, so a second copy is announced again; a result that
   * comes back after `text` stopped being current (`current()` false) is not said.
   */
  async copy(text: string, current: () => boolean): Promise<void> {
    this.clear();
    let result: 'copied' | 'failed';
    try {
      await navigator.clipboard.writeText(text);
      result = 'copied';
    } catch {
      // No clipboard (an insecure page, an old webview) or permission refused.
      result = 'failed';
    }
    if (!current()) return;
    this.result = result;
    this.host.requestUpdate();
  }

  /** Forgets the last result (the text to copy changed). */
  clear(): void {
    if (this.result === undefined) return;
    this.result = undefined;
    this.host.requestUpdate();
  }

  /** What the live note says: "Copied", "Could not copy", or nothing. */
  note(m: Messages): string {
    return this.result === 'copied' ? m.copied : this.result === 'failed' ? m.copyFailed : '';
  }
}
