import type { Connection, Submittable } from 'pg';

/** What CopyIn uses of node-postgres' connection: its protocol writers for a COPY FROM STDIN. */
interface CopyWire {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  /** The socket the messages are written to (node-postgres' `Connection.stream`). */
  stream?: { writable: boolean; cork(): void; uncork(): void; write(chunk: Buffer): boolean };
}

/** The CopyData message's type byte, 'd'. */
const COPY_DATA = 0x64;

/** Rows go out in CopyData messages of at most this many bytes. */
const CHUNK_BYTES = 64 * 1024;

/**
 * `COPY <table> (<columns>) FROM STDIN` with the rows given as COPY's text format (UTF-8), on a
 * node-postgres client: a Submittable, the client's hook for statements with a protocol flow of
 * their own (as cursors and query streams use it). The client queues it like any query; once the
 * server asks for the data it is sent in chunks, and `done` settles when the server has answered
 * (`COPY n`, or the error, after which the connection is ready for the next statement).
 */
export class CopyIn implements Submittable {
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (error: unknown) => void };
  private rows = 0;

  constructor(
    private readonly sql: string,
    private readonly data: Buffer,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  submit(connection: Connection): void {
    wire(connection).query(this.sql);
  }

  /**
   * The data as CopyData messages. node-postgres' own writer copies every chunk into a message
   * buffer it grows from 256 bytes; here each message is a 5-byte header written beside a view of
   * the data, with the socket corked so that the whole COPY leaves in one write.
   */
  handleCopyInResponse(connection: Connection): void {
    const out = wire(connection);
    const socket = out.stream;
    if (!socket?.writable) {
      for (let start = 0; start < this.data.length; start += CHUNK_BYTES) out.sendCopyFromChunk(this.data.subarray(start, start + CHUNK_BYTES));
      out.endCopyFrom();
      return;
    }
    socket.cork();
    try {
      for (let start = 0; start < this.data.length; start += CHUNK_BYTES) {
        const chunk = this.data.subarray(start, start + CHUNK_BYTES);
        const header = Buffer.allocUnsafe(5);
        header[0] = COPY_DATA;
        // The length counts itself but not the type byte.
        header.writeInt32BE(chunk.length + 4, 1);
        socket.write(header);
        socket.write(chunk);
      }
      out.endCopyFrom();
    } finally {
      socket.uncork();
    }
  }

  handleCommandComplete(message: { text?: string }): void {
    const count = /^COPY (\d+)$/.exec(message.text ?? '');
    this.rows = count ? Number(count[1]) : 0;
  }

  /** The server's error (it then ends the COPY and is ready again), or the connection's. */
  handleError(error: unknown): void {
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    this.settle.resolve(this.rows);
  }

  // Nothing else is expected of a COPY FROM STDIN; the client calls these for any statement.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

function wire(connection: Connection): CopyWire {
  const candidate = connection as unknown as Partial<CopyWire>;
  if (typeof candidate.sendCopyFromChunk !== 'function' || typeof candidate.endCopyFrom !== 'function') {
    throw new Error('This node-postgres connection cannot send COPY data');
  }
  return candidate as CopyWire;
}
