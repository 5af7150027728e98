import { describe, expect, it } from 'vitest';
import { parseSiteSettings, SiteSettingsError } from '../sites/site-settings.js';
import { fileSize } from './attachment-list.js';
import { contentDisposition } from './attachment-routes.js';
import { attachmentName, attachmentType } from './attachments.js';

describe('attachment names, types and sizes', () => {
  it('keeps a file name without path parts or control characters, with a fallback', () => {
    expect(attachmentName('../../etc/passwd', 0)).toBe('passwd');
    expect(attachmentName('C:\\Users\\eva\\Rechnung März.pdf', 0)).toBe('Rechnung März.pdf');
    expect(attachmentName('invoice\u202Efdp.exe', 0)).toBe('invoicefdp.exe');
    expect(attachmentName('a\r\nBcc: x@evil.example\u0000.txt', 0)).toBe(
      'aBcc: x@evil.example.txt',
    );
    expect(attachmentName(undefined, 2)).toBe('attachment-3');
    expect(attachmentName('../..', 0)).toBe('attachment-1');
    expect(attachmentName('\u0007\u200b', 0)).toBe('attachment-1');
    expect([...attachmentName('ä'.repeat(300), 0)]).toHaveLength(200);
  });

  it('keeps a content type only as type/subtype', () => {
    expect(attachmentType('Application/PDF')).toBe('application/pdf');
    expect(attachmentType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(attachmentType(undefined)).toBe('application/octet-stream');
  });

  it('names a download in a header nothing can break out of', () => {
    expect(contentDisposition('Rechnung März.pdf')).toBe(
      `attachment; filename="Rechnung Mrz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`,
    );
    expect(contentDisposition('a";\\b\'(c).txt')).toBe(
      `attachment; filename="ab'(c).txt"; filename*=UTF-8''a%22%3B%5Cb%27%28c%29.txt`,
    );
    expect(contentDisposition('日本.txt')).toBe(
      `attachment; filename=".txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`,
    );
  });

  it('shows sizes in German and English', () => {
    expect(fileSize(812, 'de')).toBe('812 Bytes');
    expect(fileSize(812, 'en')).toBe('812 bytes');
    expect(fileSize(1_572_864, 'de')).toBe('1,5 MB');
    expect(fileSize(1_572_864, 'en')).toBe('1.5 MB');
    expect(fileSize(2048, 'en')).toBe('2 KB');
  });

  it('refuses a bad attachment limit with an error naming the field', () => {
    const settings = (maxAttachmentBytes: unknown) => ({
      key: 'shop',
      title: 'Shop',
      allowedOrigins: [],
      responseMinutes: { '1': 60, '2': 60, '3': 60 },
      timeZone: 'UTC',
      mail: { addresses: ['hilfe@shop.test'], maxAttachmentBytes },
    });
    expect(() => parseSiteSettings(settings(-1), 'site.json')).toThrow(SiteSettingsError);
    expect(() => parseSiteSettings(settings(1.5), 'site.json')).toThrow(/mail\.maxAttachmentBytes/);
    expect(parseSiteSettings(settings(1024), 'site.json').mail?.maxAttachmentBytes).toBe(1024);
  });
});
