/** A league member played by a registered agent over the network, through the server's rooms: `remote:<agent name>`. */
export const REMOTE_PREFIX = 'remote:';

/** The agent name of a `remote:` spec, or undefined for a local agent spec. */
export function remoteAgentName(spec: string): string | undefined {
  return spec.startsWith(REMOTE_PREFIX) ? spec.slice(REMOTE_PREFIX.length) : undefined;
}
