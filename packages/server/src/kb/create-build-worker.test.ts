import { buildModelFromSource } from '@lotse/triage/build';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { smallKbChecks, smallKbConfig, smallKbEntry } from '../test-support/small-kb.js';
import { type BuildWorker, createBuildWorker } from './create-build-worker.js';
import type { KbSource } from './kb-source.js';

const source: KbSource = {
  config: smallKbConfig,
  files: ['cancel-order', 'delivery-time', 'returns-label'].map((id) => ({
    path: `entries/${id}.en.md`,
    text: smallKbEntry(id),
  })),
  checks: smallKbChecks,
};

let builder: BuildWorker;
beforeAll(() => {
  builder = createBuildWorker();
});
afterAll(async () => {
  await builder.close();
});

it('builds the model @lotse/triage builds in one thread, with its checks and timings', async () => {
  const built = await builder.build(source);
  const local = await buildModelFromSource({ config: source.config, files: source.files });
  expect(built.json).toBe(local.json);
  expect(built.hash).toBe(local.hash);
  expect(built.checks).toEqual({ total: 3, failed: [] });
  expect(built.timings).toMatchObject({
    compile: expect.any(Number),
    training: expect.any(Number),
    checks: expect.any(Number),
  });
}, 120_000);

it("answers an invalid knowledge base with the builder's message and builds the next", async () => {
  const broken = smallKbEntry('delivery-time').replace('topic: "shipping"', 'topic: "nowhere"');
  const files = source.files.map((f) =>
    f.path === 'entries/delivery-time.en.md' ? { ...f, text: broken } : f,
  );
  await expect(builder.build({ ...source, files })).rejects.toThrow(
    /delivery-time\.en\.md.*topic/s,
  );
  expect((await builder.build(source)).checks.failed).toEqual([]);
}, 120_000);

it('fails a build in progress when closed, and starts again for the next', async () => {
  const running = builder.build(source);
  await builder.close();
  await expect(running).rejects.toThrow(/model builder stopped/);
  expect((await builder.build(source)).checks.total).toBe(3);
}, 120_000);
