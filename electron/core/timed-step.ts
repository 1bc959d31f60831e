/** One step of a Test … report (Test IM server, Check users database): its time, and a Failure said as the step's. */
import type { TestStep, TestStepName } from '../../shared/contract.ts';
import { Failure } from './failure.ts';

export async function timedStep(
  name: TestStepName,
  work: () => Promise<{ detail: string; hint?: string }>,
): Promise<TestStep> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const done = await work();
    return { name, ok: true, ms: ms(), ...done };
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    return { name, ok: false, ms: ms(), detail: err.message, hint: err.hint, code: err.code };
  }
}
