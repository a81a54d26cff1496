/**
 * Graceful stop on SIGINT/SIGTERM for long-running commands (league, learn, train).
 *
 * SIGTERM is idempotent: a supervisor (`arena train`, systemd, docker) may send it more than once while the
 * process is still draining matches or writing a checkpoint, and a second one must not kill it with the default
 * action (that loses the drain and reads as a crash to the supervisor). A second Ctrl-C, on the other hand, is a
 * person who does not want to wait: it exits at once with 130.
 */
export function onStopSignals(stop: () => void): void {
  let interrupts = 0;
  process.on('SIGTERM', stop);
  process.on('SIGINT', () => {
    if (++interrupts > 1) {
      process.stderr.write('arena: interrupted again, exiting without waiting\n');
      process.exit(130);
    }
    stop();
  });
}
