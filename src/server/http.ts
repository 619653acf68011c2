/** Reading request bodies with a limit, for the handlers and every gateway module's notify. */

/** 1 MiB: far above any create or notify a gateway sends. */
export const LIMIT = 1024 * 1024;

export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}

/**
 * A request's body as text, read at most `limit` bytes: a body past it is refused as it streams,
 * never buffered whole. Every handler, and every gateway module's notify, reads through this.
 */
export async function readBody(request: Request, limit = LIMIT): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge(`a request body over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
