/**
 * LM Studio's first-come-first-served client check (lms-communication-server fcfsAuthenticator.ts): the first
 * connection with an identifier registers its passkey; later ones (other namespaces, reconnects) must match it while
 * any connection of that client is open. Counted by open connections, released when the last one closes.
 */
export class FcfsAuthenticator {
  private readonly clients = new Map<string, { passkey: string; openConnections: number }>();

  /** True when admitted; the caller must call release() when that connection closes. */
  admit(clientIdentifier: string, clientPasskey: string): boolean {
    const known = this.clients.get(clientIdentifier);
    if (known === undefined) {
      this.clients.set(clientIdentifier, { passkey: clientPasskey, openConnections: 1 });
      return true;
    }
    if (known.passkey !== clientPasskey) return false;
    known.openConnections += 1;
    return true;
  }

  release(clientIdentifier: string): void {
    const known = this.clients.get(clientIdentifier);
    if (known === undefined) return;
    known.openConnections -= 1;
    if (known.openConnections <= 0) this.clients.delete(clientIdentifier);
  }
}
