import { KotobaError } from '../errors.js';

/**
 * A problem talking to the Hugging Face Hub or reading its cache: authentication, a missing
 * repo / file / revision, the network, or offline mode with nothing cached.
 */
export class HubError extends KotobaError {
  /** HTTP status when the Hub answered (401, 403, 404, ...); undefined for network/cache errors. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}
