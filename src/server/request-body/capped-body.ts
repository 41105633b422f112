import 'server-only';

function tooLarge(maxBytes: number): Response {
  return Response.json(
    { message: `The request body is larger than ${maxBytes} bytes` },
    { status: 413, headers: { connection: 'close' } },
  );
}

/**
 * The request with its body read into memory, at most `maxBytes` of it, or a 413 answer. A declared length
 * over the cap is refused before reading; an undeclared (chunked) or lying one is read only until the cap is
 * crossed, then the stream is cancelled. Route handlers get the whole body otherwise (Next does not cap it).
 */
export async function withCappedBody(request: Request, maxBytes: number): Promise<Request | Response> {
  if (!request.body) return request;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await request.body.cancel().catch(() => {});
    return tooLarge(maxBytes);
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      return tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
  });
}
