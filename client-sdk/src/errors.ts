/** The one error type of the SDK: an error the server sent, or a client-side failure with the same shape. */
import type { WireError, WireErrorCode } from './protocol';

export class ArenaClientError extends Error implements WireError {
  override readonly name = 'ArenaClientError';
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
}
