// A mailbox on loopback for the IMAP poller's tests: hoodiecrow-imap, an IMAP server in the test's
// own process, so a test can deliver mail, read the flags and give the mailbox a new UIDVALIDITY.
import type { AddressInfo } from 'node:net';
import hoodiecrow from 'hoodiecrow-imap';
import { createTransport, type SendMailOptions } from 'nodemailer';

/** A running test mailbox server with one account. */
export interface TestImapServer {
  port: number;
  /** Delivers a mail into INBOX as the mailbox's own server would; resolves with its UID. */
  deliver(mail: SendMailOptions): Promise<number>;
  /** INBOX's mails, by UID. */
  messages(): readonly { uid: number; flags: readonly string[] }[];
  /** Gives INBOX a new UIDVALIDITY and numbers its mails anew, as a rebuilt mailbox does. */
  renumber(uidValidity: number): void;
  close(): Promise<void>;
}

// Raw mails as a mail client writes them (MIME, quoted-printable for umlauts).
const composer = createTransport({ streamTransport: true, buffer: true });

/** Starts an IMAP server (plain, no TLS) on 127.0.0.1 and a free port with `user`'s mailbox. */
export async function startImapServer(user: string, password: string): Promise<TestImapServer> {
  // No STARTTLS: hoodiecrow's bundled certificate has expired.
  const server = hoodiecrow({
    plugins: ['ID', 'IDLE', 'UIDPLUS', 'ENABLE', 'LITERALPLUS', 'SASL-IR', 'AUTH-PLAIN'],
    users: { [user]: { password } },
    storage: { INBOX: { messages: [] } },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const inbox = () => server.getMailbox('INBOX')!;
  return {
    port: (server.server.address() as AddressInfo).port,
    async deliver(mail) {
      const { message } = await composer.sendMail(mail);
      const raw = (message as Buffer).toString('latin1');
      return server.appendMessage('INBOX', [], undefined, raw).message.uid;
    },
    messages: () => inbox().messages.map((m) => ({ uid: m.uid, flags: m.flags })),
    renumber(uidValidity) {
      const box = inbox();
      box.uidvalidity = uidValidity;
      box.messages.forEach((m, i) => {
        m.uid = 1000 + i;
      });
      box.uidnext = 1000 + box.messages.length;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
