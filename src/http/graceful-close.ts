import type { Server, ServerResponse } from 'node:http';

/**
 * Closing an HTTP server under keep-alive load: `server.close()` stops accepting and closes the
 * connections idle at that instant, but a busy keep-alive connection would stay open for as long
 * as its client keeps sending. So once closing, every answer not yet begun says
 * `Connection: close`, each connection closes as soon as its answer is out, and whatever is
 * still open at the deadline is cut.
 */
export class GracefulClose {
  private closing = false;
  private inFlight = new Set<ServerResponse>();

  constructor(private server: Server) {}

  /** Call for every request, before the app sees it. */
  track(res: ServerResponse): void {
    if (this.closing) res.shouldKeepAlive = false;
    this.inFlight.add(res);
    const socket = res.socket;
    res.once('close', () => {
      this.inFlight.delete(res);
      // An answer that said Connection: close closes its socket itself (and may linger first).
      if (this.closing && res.shouldKeepAlive) socket?.destroySoon();
    });
  }

  /** Resolves when every connection is closed, cutting the last ones at `deadline` (epoch ms). */
  close(deadline: number): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    this.server.closeIdleConnections();
    const cut = setTimeout(() => this.server.closeAllConnections(), Math.max(0, deadline - Date.now()));
    return closed.finally(() => clearTimeout(cut));
  }
}
