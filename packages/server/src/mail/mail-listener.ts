import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Logger } from '../options.js';

/** Where a listener listens and what it takes (from the sites' `mail.listener` settings). */
export interface MailListenerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest mail accepted, in bytes; the listener announces it (SIZE) and refuses more (552). */
  maxBytes: number;
  /** PEM key and certificate files; with both, STARTTLS is offered. */
  tlsKeyFile?: string | undefined;
  tlsCertFile?: string | undefined;
  /** Whether mail for this address is taken (a site's address); others get 550 at RCPT TO. */
  accepts(address: string): boolean;
  /**
   * Stores one accepted mail durably; the listener acknowledges it (250) only once this resolves,
   * so a crash after the 250 loses nothing. A rejection is answered 451 (try again later).
   */
  store(mail: { envelopeFrom: string; envelopeTo: string[]; raw: Buffer }): Promise<void>;
  logger: Logger;
}

/** A running SMTP listener. */
export interface MailListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** An SMTP error with the reply code smtp-server sends. */
function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * Starts an SMTP listener (smtp-server) that takes mail for the sites' addresses, refuses other
 * recipients and mail over the size limit, and acknowledges a mail only after it is stored.
 *
 * @example
 * const listener = await startMailListener({ host: '127.0.0.1', port: 2525, maxBytes: 26214400, accepts, store, logger });
 */
export async function startMailListener(options: MailListenerOptions): Promise<MailListener> {
  const { logger } = options;
  const tls =
    options.tlsKeyFile !== undefined && options.tlsCertFile !== undefined
      ? { key: readFileSync(options.tlsKeyFile), cert: readFileSync(options.tlsCertFile) }
      : undefined;
  const serverOptions: SMTPServerOptions = {
    name: 'lotse',
    banner: 'Lotse mail channel',
    size: options.maxBytes,
    // Mail comes from other servers, which do not sign in (a mailbox forwards or an MX delivers).
    authOptional: true,
    disabledCommands: tls === undefined ? ['AUTH', 'STARTTLS'] : ['AUTH'],
    ...(tls === undefined ? {} : tls),
    logger: false,
    // A client that stops talking must not hold a socket for long.
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    maxClients: 200,
    onRcptTo(address, _session, callback) {
      if (options.accepts(address.address)) return callback();
      callback(smtpError(`5.1.1 <${address.address.slice(0, 320)}>: no such mailbox here`, 550));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > options.maxBytes) {
          callback(smtpError(`5.3.4 Message too big (limit ${options.maxBytes} bytes)`, 552));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        options
          .store({
            envelopeFrom: mailFrom === false ? '' : mailFrom.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          })
          .then(
            () => callback(),
            (error: unknown) => {
              logger.error('mail could not be stored; the sender is told to try again', error);
              callback(smtpError('4.3.0 Could not store the message, try again later', 451));
            },
          );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  // A client's protocol error ends its session, never the listener.
  server.on('error', (error: Error) => logger.warn(`mail listener: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: options.host,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
