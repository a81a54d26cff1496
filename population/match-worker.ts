/**
 * Worker thread body: plays matches headless through the engine. The parent sends a MatchJob, the worker
 * builds the seats' agents from their spec strings and answers with the MatchRecord (or an error message).
 */
import { parentPort } from 'node:worker_threads';
import { createAgent } from '../agents/registry';
import { loadGame } from '../environments/registry';
import { runMatch } from '../engine/match';
import type { MatchJob, MatchJobResult } from './match-pool';

parentPort?.on('message', (job: MatchJob) => {
  void (async (): Promise<MatchJobResult> => {
    try {
      const game = loadGame(job.game, job.params);
      const seats = job.seats.map((s) => ({
        agent: createAgent(s.spec, { game, seed: s.seed, ...(job.baseDir ? { baseDir: job.baseDir } : {}) }),
        info: { name: s.name, ...(s.agentId ? { agentId: s.agentId } : {}), ...(s.snapshotId ? { snapshotId: s.snapshotId } : {}) },
      }));
      const record = await runMatch(game, job.seed, seats, { ...(job.id ? { id: job.id } : {}) });
      return { jobId: job.jobId, record };
    } catch (error) {
      return { jobId: job.jobId, error: error instanceof Error ? error.message : String(error) };
    }
  })().then((result) => parentPort?.postMessage(result));
});
