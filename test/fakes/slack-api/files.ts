import { SlackApiError, type Workspace } from './workspace.js';
import type { ApiArgs } from './web-api-methods.js';

/**
 * A file on its way through Slack's external upload: `files.getUploadURLExternal` announces it
 * (name, length), the bytes are POSTed to its `upload_url`, `files.completeUploadExternal` shares it.
 */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  /** The length announced to `files.getUploadURLExternal`, in bytes. */
  length: number;
  /** The bytes POSTed to the upload URL (undefined until then). */
  content?: Buffer;
  mimetype?: string;
  completed: boolean;
}

/** What a message that shares a file carries of it (a subset of Slack's file object). */
export interface FakeFileShare {
  id: string;
  name: string;
  title: string;
  size: number;
  mimetype: string;
}

/** Slack's own limit on one uploaded file: 1 GB. */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `files.getUploadURLExternal`: `filename` and `length` (bytes, a positive integer) are required. */
export function announceUpload(ws: Workspace, args: ApiArgs, uploadUrl: (id: string) => string): Record<string, unknown> {
  const name = str(args.filename);
  const length = Number(args.length);
  if (!name || !Number.isInteger(length) || length < 1) throw new SlackApiError('invalid_arguments');
  if (length > MAX_FILE_BYTES) throw new SlackApiError('file_too_large');
  const id = ws.mintId('F');
  ws.files.set(id, { id, name, title: name, length, completed: false });
  return { upload_url: uploadUrl(id), file_id: id };
}

/**
 * The POST to an upload URL: the raw bytes, or a multipart form whose one file part holds them (what
 * WebClient sends). Slack answers 200 `OK - <length>`; the length must be the one announced.
 */
export async function receiveUpload(
  ws: Workspace,
  id: string,
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ status: number; text: string }> {
  const file = ws.files.get(id);
  if (!file || file.completed) return { status: 404, text: 'invalid_url' };
  let bytes = raw;
  let mimetype: string | undefined;
  if ((contentType ?? '').toLowerCase().startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType ?? '' } }).formData();
    const part = [...form.values()].find((v) => typeof v !== 'string');
    if (part === undefined || typeof part === 'string') return { status: 400, text: 'no_file_data' };
    bytes = Buffer.from(await part.arrayBuffer());
    mimetype = part.type || undefined;
  }
  if (bytes.length !== file.length) return { status: 400, text: `length_mismatch: announced ${file.length}, received ${bytes.length}` };
  file.content = bytes;
  if (mimetype) file.mimetype = mimetype;
  return { status: 200, text: `OK - ${bytes.length}` };
}

/**
 * `files.completeUploadExternal`: `files` is a JSON array of `{ id, title }`, each uploaded and not
 * yet completed. With `channel_id` (and `thread_ts`, a message of that channel) the files are shared
 * there as one message whose text is `initial_comment`; without, they stay private.
 */
export function completeUpload(
  ws: Workspace,
  args: ApiArgs,
): { files: FakeFileShare[]; share?: { channel: string; threadTs?: string; text: string } } {
  let listed: unknown = args.files;
  if (typeof listed === 'string') {
    try {
      listed = JSON.parse(listed);
    } catch {
      throw new SlackApiError('invalid_arguments');
    }
  }
  if (!Array.isArray(listed) || listed.length === 0) throw new SlackApiError('invalid_arguments');
  const files = listed.map((entry: { id?: unknown; title?: unknown }) => {
    const file = typeof entry?.id === 'string' ? ws.files.get(entry.id) : undefined;
    if (!file || file.completed || file.content === undefined) throw new SlackApiError('file_not_found');
    if (typeof entry.title === 'string' && entry.title !== '') file.title = entry.title;
    return file;
  });
  const channelId = str(args.channel_id);
  const threadTs = str(args.thread_ts);
  if (threadTs && !channelId) throw new SlackApiError('invalid_arguments');
  const channel = channelId ? ws.resolveChannel(channelId) : undefined;
  if (channel && !ws.isBotIn(channel)) throw new SlackApiError('not_in_channel');
  if (channel && threadTs) ws.findMessage(channel, threadTs);
  for (const f of files) f.completed = true;
  const shares = files.map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.length, mimetype: f.mimetype ?? 'application/octet-stream' }));
  if (!channel) return { files: shares };
  return {
    files: shares,
    share: { channel, ...(threadTs ? { threadTs } : {}), text: typeof args.initial_comment === 'string' ? args.initial_comment : '' },
  };
}
