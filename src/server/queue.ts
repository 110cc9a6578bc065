/**
 * A bounded queue that is fair between clients: each client (API user or address) has its own
 * FIFO line, and the next item is taken from the lines in turn (round robin), so one client
 * sending many requests cannot starve the others.
 */
export class FairQueue<T> {
  private readonly lines = new Map<string, T[]>();
  /** Clients with waiting items, in the order they are served. */
  private readonly turn: string[] = [];
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** Adds an item to its client's line; false when the queue is full. */
  push(client: string, item: T): boolean {
    if (this.count >= this.capacity) return false;
    let line = this.lines.get(client);
    if (!line) {
      line = [];
      this.lines.set(client, line);
      this.turn.push(client);
    }
    line.push(item);
    this.count++;
    return true;
  }

  /** The first item of the next client in turn; that client goes to the back of the turn. */
  shift(): T | undefined {
    const client = this.turn.shift();
    if (client === undefined) return undefined;
    const line = this.lines.get(client)!;
    const item = line.shift()!;
    this.count--;
    if (line.length > 0) this.turn.push(client);
    else this.lines.delete(client);
    return item;
  }

  /** Takes an item out wherever it waits (a client gave up or its time ran out). */
  remove(client: string, item: T): boolean {
    const line = this.lines.get(client);
    const at = line ? line.indexOf(item) : -1;
    if (!line || at < 0) return false;
    line.splice(at, 1);
    this.count--;
    if (line.length === 0) {
      this.lines.delete(client);
      this.turn.splice(this.turn.indexOf(client), 1);
    }
    return true;
  }
}
