import { type FetchMessageObject, ImapFlow } from 'imapflow';
import type { Logger } from '../options.js';
import type { SiteSettings } from '../sites/site-settings.js';
import type { Store } from '../store/store.js';

type ImapSettings = NonNullable<NonNullable<SiteSettings['mail']>['imap']>;

/** Thrown when a site's `mail.imap` cannot be used as written (the password is nowhere). */
export class ImapSettingsError extends Error {
  override readonly name = 'ImapSettingsError';
}

/** The mailbox password: `password`, or the environment variable `passwordEnv` names. */
export function imapPassword(
  siteKey: string,
  imap: ImapSettings,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (imap.passwordEnv !== undefined) {
    const value = env[imap.passwordEnv];
    if (value !== undefined && value !== '') return value;
    if (imap.password === undefined) {
      throw new ImapSettingsError(
        `site "${siteKey}": mail.imap.passwordEnv names ${imap.passwordEnv}, which is not set or empty; set it to the mailbox password, or give mail.imap.password`,
      );
    }
  }
  if (imap.password === undefined) {
    throw new ImapSettingsError(
      `site "${siteKey}": mail.imap needs password or passwordEnv (the environment variable holding the password)`,
    );
  }
  return imap.password;
}

/** What the poller stores each fetched mail with: the channel's `receive` (mail-channel.ts). */
export type StoreFetched = (
  envelope: { envelopeFrom: string; envelopeTo: string[]; raw: Buffer },
  source: string,
) => Promise<unknown>;

/** Options of {@link startImapPoller}. */
export interface ImapPollerOptions {
  siteKey: string;
  imap: ImapSettings;
  password: string;
  /** The site's addresses: a fetched mail's envelope recipients are those it names, else the first. */
  addresses: readonly string[];
  /** Largest mail read, in bytes; a larger one is left in the mailbox with a warning. */
  maxBytes: number;
  store: Pick<Store, 'getImapPosition' | 'setImapPosition' | 'findMailsByMessageId'>;
  receive: StoreFetched;
  logger: Logger;
  now: () => number;
}

/** A running IMAP poller. */
export interface ImapPoller {
  /** `user@host/mailbox`, as positions and sources name it. */
  account: string;
  /** Looks into the mailbox now; resolves when every mail there when called is stored (or the look failed). */
  pollNow(): Promise<void>;
  close(): Promise<void>;
}

// UIDs looked at per round trip; their contents are then fetched one by one, so one mail at a
// time sits in memory.
const BATCH = 50;
// A server that refuses the login is asked again rarely: the password will not fix itself, and
// many refused logins can lock the account.
const LOGIN_RETRY_MS = 15 * 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** The address inside `<…>` of a Return-Path header; '' for `<>` (a bounce). */
function returnPath(headers: Buffer | undefined): string | undefined {
  if (headers === undefined) return undefined;
  const m = /^return-path:[ \t]*<([^<>\r\n]*)>/im.exec(headers.toString('latin1'));
  return m === null ? undefined : m[1]!.trim();
}

/**
 * Reads a site's existing mailbox over IMAP (imapflow): each mail with a UID above the stored
 * position is stored through the channel, then the position advances past it, so a restart neither
 * loses nor repeats mail. A mail stored when a crash kept the position from passing it is
 * recognised by its source (`imap:<account>:<uidvalidity>:<uid>`) and not stored again. A new
 * UIDVALIDITY voids the position: the mailbox is read from its beginning, and mails already stored
 * are recognised by their Message-ID. Mail is marked \Seen, never deleted. Looks every
 * `pollSeconds`, earlier when IDLE reports new mail; faults are logged and retried with backoff.
 *
 * @example
 * const poller = startImapPoller({ siteKey: 'shop', imap, password, addresses, store, receive, logger, now });
 */
export function startImapPoller(options: ImapPollerOptions): ImapPoller {
  const { siteKey, imap, store, logger } = options;
  const tls = imap.tls ?? 'implicit';
  const port = imap.port ?? (tls === 'implicit' ? 993 : 143);
  const mailbox = imap.mailbox ?? 'INBOX';
  const pollMs = (imap.pollSeconds ?? 60) * 1000;
  const account = `${imap.user}@${imap.host}/${mailbox}`;
  const named = `IMAP ${imap.user}@${imap.host}:${port} (${mailbox}) of site "${siteKey}"`;
  const addresses = options.addresses.map((a) => a.toLowerCase());

  let client: ImapFlow | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let failures = 0;
  let closed = false;
  // New mail reported while a look is under way (after its search) needs another look.
  let again = false;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!closed) timer = setTimeout(() => void run(), ms);
  };

  const connected = async (): Promise<ImapFlow> => {
    if (client?.usable === true) return client;
    client?.close();
    const c = new ImapFlow({
      host: imap.host,
      port,
      secure: tls === 'implicit',
      doSTARTTLS: tls === 'starttls',
      auth: { user: imap.user, pass: options.password },
      logger: false,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      socketTimeout: 5 * 60_000,
      // Between looks the connection waits in IDLE; start it soon after a look, not after 15 s.
      autoIdleDelay: 1000,
    });
    // A dropped connection is noticed by the next look; the event must not end the process.
    c.on('error', (error: Error) => logger.warn(`${named}: ${error.message}`));
    c.on('close', () => {
      if (client === c) client = undefined;
    });
    // IDLE (which imapflow keeps while the mailbox is open) tells of new mail at once.
    c.on('exists', (info: { count: number; prevCount: number }) => {
      if (info.count > info.prevCount) schedule(0);
    });
    client = c;
    await c.connect();
    return c;
  };

  const envelopeOf = (m: FetchMessageObject & { source: Buffer }) => {
    const from = m.envelope?.from?.find((a) => a.address !== undefined)?.address ?? '';
    const listed = [...(m.envelope?.to ?? []), ...(m.envelope?.cc ?? [])].flatMap((a) =>
      a.address === undefined ? [] : [a.address.toLowerCase()],
    );
    const to = addresses.filter((a) => listed.includes(a));
    return {
      // The Return-Path is the envelope sender the mailbox's server saw (empty for a bounce).
      envelopeFrom: returnPath(m.headers) ?? from,
      envelopeTo: to.length > 0 ? to : addresses.slice(0, 1),
      raw: m.source,
    };
  };

  const fetchNew = async () => {
    const c = await connected();
    // SELECT each time: it reports the mailbox's current UIDVALIDITY.
    const box = await c.mailboxOpen(mailbox);
    const uidValidity = String(box.uidValidity);
    const position = await store.getImapPosition(siteKey, account);
    // While the mailbox is read again after a change of UIDVALIDITY, the position is kept under
    // `reread:<uidvalidity>`, so that a re-read cut short (a crash, a network fault) goes on
    // recognising the mail stored before by its Message-ID instead of storing it twice.
    const rereadKey = `reread:${uidValidity}`;
    const rereading = position?.uidValidity === rereadKey;
    const renumbered = position !== undefined && !rereading && position.uidValidity !== uidValidity;
    const checkKnown = renumbered || rereading;
    if (renumbered) {
      logger.warn(
        `${named}: UIDVALIDITY changed from ${position.uidValidity} to ${uidValidity}; reading the mailbox from its beginning (mail stored before is recognised by its Message-ID)`,
      );
    }
    let last = position === undefined || renumbered ? 0 : position.lastUid;
    const advance = async (uid: number, done = false) => {
      last = uid;
      await store.setImapPosition({
        siteKey,
        account,
        uidValidity: checkKnown && !done ? rereadKey : uidValidity,
        lastUid: uid,
        updatedAt: options.now(),
      });
    };
    if (renumbered || position === undefined) await advance(0);
    await readAfter();
    // The whole mailbox has been read again: from now on only new UIDs.
    if (checkKnown) await advance(last, true);

    async function readAfter() {
      for (;;) {
        if (c.mailbox === false || c.mailbox.exists === 0) return;
        // `n:*` always matches the highest UID, even one below n (RFC 3501 §6.4.8).
        const found = await c.search({ uid: `${last + 1}:*` }, { uid: true });
        const uids = (found === false || found === undefined ? [] : found)
          .filter((u) => u > last)
          .sort((a, b) => a - b)
          .slice(0, BATCH);
        if (uids.length === 0) return;
        const sizes = new Map(
          (await c.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true })).map((m) => [
            m.uid,
            m.size ?? 0,
          ]),
        );
        for (const uid of uids) {
          const size = sizes.get(uid);
          // Expunged since the search: gone, nothing to read.
          if (size === undefined) {
            await advance(uid);
            continue;
          }
          if (size > options.maxBytes) {
            logger.warn(
              `${named}: mail UID ${uid} has ${size} bytes, over the limit of ${options.maxBytes}; left in the mailbox unread`,
            );
            // The team hears of it: its headers alone, with a note, become a conversation for a
            // person (never an automatic answer), and the mail stays unread for them to open.
            const head = await c.fetchOne(
              String(uid),
              { uid: true, envelope: true, headers: true },
              { uid: true },
            );
            if (head !== false && head.headers !== undefined) {
              const source = tooLargeStandIn(
                head.headers,
                size,
                options.maxBytes,
                `${mailbox}, UID ${uid}`,
              );
              await options.receive(
                envelopeOf({ ...head, source }),
                `imap:${account}:${uidValidity}:${uid}`,
              );
            }
            await advance(uid);
            continue;
          }
          const m = await c.fetchOne(
            String(uid),
            { uid: true, source: true, envelope: true, headers: ['return-path'] },
            { uid: true },
          );
          if (m === false) {
            await advance(uid);
            continue;
          }
          if (m.source === undefined) throw new Error(`mail UID ${uid} came without its content`);
          const messageId = m.envelope?.messageId;
          const known =
            checkKnown &&
            messageId !== undefined &&
            (await store.findMailsByMessageId(siteKey, [messageId])).some(
              (x) => x.direction === 'in',
            );
          if (!known) {
            await options.receive(
              envelopeOf({ ...m, source: m.source }),
              `imap:${account}:${uidValidity}:${uid}`,
            );
          }
          await advance(uid);
          await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        }
      }
    }
  };

  const cycle = async () => {
    try {
      await fetchNew();
      if (failures > 0) logger.info(`${named}: reading mail again`);
      failures = 0;
      schedule(pollMs);
    } catch (error) {
      client?.close();
      client = undefined;
      if (closed) return;
      failures++;
      const e = error as Error & { authenticationFailed?: boolean; responseText?: string };
      const why = e.responseText ?? e.message;
      if (e.authenticationFailed === true) {
        logger.error(
          `${named}: the server refused the login (${why}); check mail.imap.user and the password. Trying again in ${LOGIN_RETRY_MS / 60_000} minutes`,
        );
        schedule(LOGIN_RETRY_MS);
        return;
      }
      const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 10));
      logger.warn(`${named}: ${why}; trying again in ${Math.round(wait / 1000)} s`);
      schedule(wait);
    }
  };

  const run = () => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    again = false;
    running = cycle().finally(() => {
      running = undefined;
      if (again) schedule(0);
    });
    return running;
  };

  void run();
  return {
    account,
    async pollNow() {
      // A look already under way may have started before the mail the caller waits for arrived.
      if (running !== undefined) await running;
      if (!closed) await run();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      if (running === undefined) {
        await c?.logout().catch(() => c.close());
      } else {
        // A look under way is cut short (a server that is slow to answer must not hold up the
        // shutdown): each mail it stored has its position, or its source keeps it from repeating.
        c?.close();
        await running;
      }
      client = undefined;
    },
  };
}

/** Marks the stand-in for a mail over the size limit; `processMail` hands it to a person. */
export const TOO_LARGE_HEADER = 'X-Lotse-Too-Large';

// Who wrote, about what, and where it belongs in a thread: the rest of a too-large mail's header
// (its MIME structure above all) describes content the stand-in does not have.
const KEPT_HEADERS = new Set([
  'from',
  'reply-to',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'return-path',
]);

/**
 * A plain-text mail standing in for one over the size limit: its sender, subject and thread
 * headers, a header naming its size and place, and a German and English note for the agent.
 */
export function tooLargeStandIn(
  headers: Buffer,
  size: number,
  maxBytes: number,
  where: string,
): Buffer {
  // Unfolded (a continuation line starts with white space), then the kept fields.
  const fields = headers
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((line) => KEPT_HEADERS.has(line.slice(0, line.indexOf(':')).trim().toLowerCase()));
  const kb = (n: number) => `${Math.ceil(n / 1024)} KB`;
  const note = [
    `[Lotse] Diese E-Mail ist mit ${kb(size)} größer als die Grenze von ${kb(maxBytes)} und liegt ungelesen im Postfach (${where}).`,
    `[Lotse] This mail of ${kb(size)} is over the limit of ${kb(maxBytes)} and was left unread in the mailbox (${where}).`,
  ].join('\r\n');
  return Buffer.concat([
    Buffer.from(`${fields.join('\r\n')}\r\n`, 'latin1'),
    Buffer.from(
      `${TOO_LARGE_HEADER}: ${size}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${note}\r\n`,
      'utf8',
    ),
  ]);
}
