/**
 * Runs `work` once `answered` has settled (at once without it), on a turn of the event loop of its
 * own. Work that blocks the thread, such as encoding a whole fleet for the shared store, must not
 * delay an answer, and a compressed answer reaches its socket only on a later turn than its send.
 */
export function afterAnswer(
  answered: Promise<unknown> | undefined,
  work: () => void,
): void {
  const run = () => void setImmediate(work);
  if (answered) answered.then(run, run);
  else run();
}
