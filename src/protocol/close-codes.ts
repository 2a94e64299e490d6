/** WebSocket close codes the AV-Gym client meets, by name. */
export const CloseCode = {
  /** A close we asked for (dispose, reconfigure). */
  Normal: 1000,
  /** No close frame at all: the server died, the network dropped, or the handshake was refused (403). */
  Abnormal: 1006,
  /** The consumer's auth failure code; in practice also sent when its handler crashes. */
  Unauthorized: 4001,
  /** HTTP-style auth codes some deployments use. */
  AuthRequired: 4401,
  Forbidden: 4403,
  /** Ours: the link stopped answering heartbeats. */
  HeartbeatTimeout: 4000,
} as const;

const authCodes: ReadonlySet<number> = new Set([CloseCode.Unauthorized, CloseCode.AuthRequired, CloseCode.Forbidden]);

/** A close on an open link that means "this token is no good any more". */
export const isAuthClose = (code: number): boolean => authCodes.has(code);
