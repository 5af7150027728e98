import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { AppContext } from './deps.js';
import { encodedEtag, isNotModified, pickEncoding } from './representation.js';

/** Content types of the files served; a file of any other type is not served. */
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const compressible = new Set(['.html', '.css', '.js', '.mjs', '.svg']);

/** One file held in memory with its compressed forms, ready to send. */
export interface StaticFile {
  type: string;
  /** Strong ETag of the identity encoding (SHA-256 of the bytes). */
  etag: string;
  body: Uint8Array<ArrayBuffer>;
  /** Only when the file is text and compressing it saves bytes. */
  brotli: Uint8Array<ArrayBuffer> | undefined;
  gzip: Uint8Array<ArrayBuffer> | undefined;
}

function smaller(compressed: Buffer, original: Buffer): Uint8Array<ArrayBuffer> | undefined {
  return compressed.length < original.length ? new Uint8Array(compressed) : undefined;
}

/** Reads one file into memory, or undefined when it is missing or of a type not served. */
export function readStaticFile(file: string): StaticFile | undefined {
  const ext = path.extname(file).toLowerCase();
  const type = types[ext];
  if (type === undefined) return undefined;
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch {
    return undefined;
  }
  const text = compressible.has(ext);
  return {
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    body: new Uint8Array(body),
    brotli: text
      ? smaller(
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          body,
        )
      : undefined,
    gzip: text ? smaller(gzipSync(body, { level: 9 }), body) : undefined,
  };
}

/**
 * Reads every servable file below `dir` into memory, keyed by its path relative to `dir` with `/`
 * separators (`assets/index-1a2b.js`). Read once at start: the widget and demo are a handful of
 * small files, and no path from a URL ever reaches the file system, so no URL can leave `dir`.
 * A missing folder gives an empty map.
 */
export function readStaticFolder(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return files;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (!statSync(full).isFile()) continue;
    const file = readStaticFile(full);
    if (file !== undefined) files.set(name.split(path.sep).join('/'), file);
  }
  return files;
}

/**
 * Answers with `file` in the encoding the client accepts, or 304 when its `If-None-Match` matches.
 * Headers set on `c` before the call (cache policy, CSP, CORS) go out with either answer.
 */
export function sendStaticFile(c: AppContext, file: StaticFile): Response {
  const encoding = pickEncoding(c.req.header('accept-encoding'));
  const body = encoding === 'br' ? file.brotli : encoding === 'gzip' ? file.gzip : undefined;
  const etag = encodedEtag(file.etag, body === undefined ? undefined : encoding);
  c.header('ETag', etag);
  if (file.brotli !== undefined || file.gzip !== undefined)
    c.header('Vary', 'Accept-Encoding', { append: true });
  if (isNotModified(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  c.header('Content-Type', file.type);
  if (body === undefined) return c.body(file.body, 200);
  c.header('Content-Encoding', encoding);
  return c.body(body, 200);
}
