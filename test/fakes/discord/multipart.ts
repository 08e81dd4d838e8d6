import type { UploadedFile } from './messages.js';

/**
 * Request bodies as discord.js sends them: JSON (`application/json`), or `multipart/form-data` when
 * files go along: `files[n]` parts plus `payload_json` (the JSON body). Files are kept with their bytes.
 */
export function parseBody(contentType: string | undefined, raw: Buffer): { body: unknown; files: UploadedFile[] } {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type === 'multipart/form-data') return parseMultipart(contentType ?? '', raw);
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

function parseMultipart(contentType: string, raw: Buffer): { body: unknown; files: UploadedFile[] } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = `--${boundary?.[1] ?? boundary?.[2] ?? ''}`;
  // latin1 maps bytes 1:1 to characters, so lengths below are byte counts.
  const parts = raw.toString('latin1').split(marker).slice(1, -1);
  let body: unknown;
  const files: UploadedFile[] = [];
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    const head = part.slice(0, split);
    const content = part.slice(split + 4, part.endsWith('\r\n') ? -2 : undefined);
    const field = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (field === 'payload_json') {
      body = JSON.parse(Buffer.from(content, 'latin1').toString('utf8'));
    } else if (filename !== undefined) {
      const contentTypeOfPart = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      files.push({
        field,
        name: Buffer.from(filename, 'latin1').toString('utf8'),
        contentType: contentTypeOfPart,
        size: content.length,
        content: Buffer.from(content, 'latin1'),
      });
    }
  }
  return { body, files };
}
