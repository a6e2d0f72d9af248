import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection that said `Connection: close` keeps reading its client's body. */
const LINGER_MS = 2000;

/**
 * An early answer (413, 415, or a 400 or 404 before the body was read) leaves the rest of the
 * client's body on the wire. Left there it blocks the connection: the next request on it never
 * parses, and a client that was promised keep-alive sees its socket dropped. So:
 * - a rest of known size up to `limitBytes` is read and thrown away after the answer, and the
 *   connection carries on;
 * - a larger or unknown rest (chunked) is not worth reading: the answer says `Connection: close`,
 *   decided when its head is written, the last moment anyone knows whether the body was read.
 *   The socket then lingers, reading, until the client closes it (at most LINGER_MS): closed at
 *   once, it would reset the client's upload before the client has read the answer.
 */
export function settleUnreadBody(req: IncomingMessage, res: ServerResponse, limitBytes: number): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!req.readableEnded && !(declaredLength(req) <= limitBytes)) this.shouldKeepAlive = false;
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  const socket = req.socket;
  res.once('finish', () => {
    if (req.readableEnded || req.destroyed) return;
    discardRest(req);
    if (!res.shouldKeepAlive) linger(socket);
  });
}

/** The body's declared length; NaN when the body is chunked. */
function declaredLength(req: IncomingMessage): number {
  const header = req.headers['content-length'];
  return header === undefined ? (req.headers['transfer-encoding'] ? NaN : 0) : Number(header);
}

function discardRest(req: IncomingMessage): void {
  // A web-stream reader may still hold the body paused for backpressure; no one will read it now.
  req.removeAllListeners('data');
  req.resume();
}

/** Node has ended our side and would destroy the socket once that is written; wait for the client. */
function linger(socket: Socket): void {
  if (socket.destroyed) return;
  socket.removeListener('finish', socket.destroy);
  const cut = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(cut));
}
