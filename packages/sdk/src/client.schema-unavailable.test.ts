import { expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import { fakeFetch, record } from './test/helpers.js';

// The schema chunk of `validate: true` fails to load (offline, a deploy removed the old chunk).
vi.mock('./schema/validate-event.js', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

it('with validate: true and no schemas, reports schema_unavailable and sends the held events unchecked', async () => {
  const net = fakeFetch();
  const client = createClient({
    endpoint: 'https://lotse.test',
    siteKey: 'demo',
    fetch: net.fetch,
    flushInterval: 0,
    validate: true,
  });
  const { errors, sentIds } = record(client);
  client.track('nps.submitted', { score: 3 });
  client.track('nps.submitted', { score: 11 });
  await client.flush();
  expect(errors.map((e) => [e.name, e.code])).toEqual([['LotseError', 'schema_unavailable']]);
  expect(errors[0]!.message).toMatch(/^\[lotse\] Could not load the event schemas/);
  // Nothing is lost: the server validates, and rejects invalid events one by one (on('drop')).
  expect(net.received).toHaveLength(2);
  expect(sentIds().sort()).toEqual([...net.received].sort());
  client.track('nps.submitted', { score: 4 });
  await client.flush();
  expect(net.received).toHaveLength(3);
  expect(errors).toHaveLength(1);
  await client.close();
});
