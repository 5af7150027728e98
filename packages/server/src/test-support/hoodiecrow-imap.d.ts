// The little of hoodiecrow-imap (an in-process IMAP server, no types of its own) the tests use.
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  interface HoodiecrowMessage {
    uid: number;
    flags: string[];
    raw: string;
  }

  interface HoodiecrowMailbox {
    uidvalidity: number;
    uidnext: number;
    messages: HoodiecrowMessage[];
  }

  interface HoodiecrowServer {
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback: () => void): void;
    getMailbox(path: string): HoodiecrowMailbox | undefined;
    appendMessage(
      mailbox: string,
      flags: string[],
      internaldate: Date | undefined,
      raw: string,
    ): { message: HoodiecrowMessage };
  }

  export default function hoodiecrow(options: {
    plugins?: string[];
    users?: Record<string, { password: string }>;
    storage?: Record<string, unknown>;
  }): HoodiecrowServer;
}
