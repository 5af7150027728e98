// Byte budgets and forbidden identifiers, checked on the BUILT files (run `pnpm --filter
// @lotse/widget build` first). Budgets come from issue 5's acceptance criteria (min + gzip).
import { describe, expect, it } from 'vitest';
import { built, measure, staticClosure } from '../bench/sizes.js';

const KB = 1024;

describe('built bundles', () => {
  it('stay within their budgets (loader 5 KB, controller 10 KB, panel 40 KB, min + gzip)', () => {
    const sizes = measure();
    expect(sizes.loader).toBeLessThanOrEqual(5 * KB);
    expect(sizes.controller).toBeLessThanOrEqual(10 * KB);
    expect(sizes.panel).toBeLessThanOrEqual(40 * KB);
    // The handoff chunk (form + zod/mini + the shared schema) loads only when a visitor needs a person;
    // this ceiling keeps the whole path, panel plus handoff, from growing unnoticed.
    expect(sizes.panel + sizes.handoff).toBeLessThanOrEqual(45 * KB);
  });

  it('loads zod only with the handoff form, not with the panel', () => {
    const { panel } = built();
    const sizes = measure();
    expect(sizes.handoff).toBeGreaterThan(0);
    const html = panel.get('index.html')?.toString('utf8') ?? '';
    const entry = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    for (const file of staticClosure(panel, [entry!])) {
      expect(panel.get(file)?.toString('utf8')).not.toContain('ZodMiniObject');
    }
  });

  it('carry no debug output and nothing that parses HTML on the host page', () => {
    const { loader, controller, panel } = built();
    for (const [name, bytes] of [
      ['lotse.js', loader],
      ['controller', controller],
    ] as const) {
      const code = bytes.toString('utf8');
      for (const forbidden of [
        'console.',
        'debugger',
        'innerHTML',
        'insertAdjacentHTML',
        'document.write',
        'eval(',
        'new Function',
      ]) {
        expect(code.includes(forbidden), `${name} contains ${forbidden}`).toBe(false);
      }
    }
    for (const [name, bytes] of panel) {
      const code = bytes.toString('utf8');
      expect(/console\.(log|debug)|debugger/.test(code), `${name} has debug output`).toBe(false);
      expect(code.includes('dangerouslySetInnerHTML:'), `${name} sets raw HTML`).toBe(false);
    }
  });

  it('use zod/mini, never classic zod, and keep the host code free of Preact and schemas', () => {
    const { loader, controller, panel } = built();
    // Classic zod names its classes "ZodString" …; zod/mini has "ZodMiniString" (and both the core "$ZodString").
    const classicZod = /[`'"]Zod(String|Object|Array|Number|Union)[`'"]/;
    for (const [name, bytes] of [
      ['lotse.js', loader],
      ['controller', controller],
      ...panel,
    ] as const) {
      expect(classicZod.test(bytes.toString('utf8')), `${name} bundles classic zod`).toBe(false);
    }
    for (const code of [loader.toString('utf8'), controller.toString('utf8')]) {
      expect(code).not.toMatch(/ZodMini|__PREACT|preact/);
    }
  });

  it('ship a panel page with no inline script or style (it runs under a CSP without unsafe-inline)', () => {
    const html = built().panel.get('index.html')?.toString('utf8') ?? '';
    expect(html).toMatch(
      /<script type="module" crossorigin src="\.\/assets\/[\w-]+\.js"><\/script>/,
    );
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i);
  });
});
