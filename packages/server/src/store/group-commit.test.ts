import { expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';

type Request = { id: number; n: number };

it('runs the requests of one turn in one commit and answers each after it', async () => {
  const commits: number[][] = [];
  const answers: [number, unknown][] = [];
  const queue = createGroupCommit<Request, number>(
    (group) => {
      commits.push(group.map((r) => r.id));
      return group.map((r) => r.n * 2);
    },
    (id, reply) => answers.push([id, reply]),
  );
  queue.add({ id: 1, n: 1 });
  queue.add({ id: 2, n: 5 });
  expect(commits).toEqual([]);
  await new Promise<void>((resolve) => setImmediate(resolve));
  queue.add({ id: 3, n: 7 });
  await new Promise<void>((resolve) => setImmediate(resolve));
  expect(commits).toEqual([[1, 2], [3]]);
  expect(answers).toEqual([
    [1, 2],
    [2, 10],
    [3, 14],
  ]);
});

it('answers every request of a failed commit with its error, and flush runs what is queued', () => {
  const answers: [number, unknown][] = [];
  const queue = createGroupCommit<Request, number>(
    () => {
      throw new Error('disk I/O error');
    },
    (id, reply) => answers.push([id, reply]),
  );
  queue.add({ id: 1, n: 1 });
  queue.add({ id: 2, n: 2 });
  queue.flush();
  expect(answers).toEqual([
    [1, { error: 'disk I/O error' }],
    [2, { error: 'disk I/O error' }],
  ]);
});
