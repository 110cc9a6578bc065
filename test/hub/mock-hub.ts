// A local stand-in for the Hugging Face Hub's resolve endpoint (127.0.0.1, random port):
//   GET /<repo>/resolve/<revision>/<file>
// Small files answer 200 with ETag and X-Repo-Commit. *.safetensors files answer 302 to a second
// "CDN" server (another origin) with X-Linked-Etag / X-Linked-Size, as the Hub does for LFS files.
// Private repos answer 401 without the right token, unknown repos / revisions / files 404 with the
// Hub's X-Error-Code, renamed repos 307 with a relative Location, and `dropNext` makes the CDN
// cut the connection halfway through a file.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockRepo {
  readonly commit: string;
  readonly files: Readonly<Record<string, Uint8Array | string>>;
  readonly private?: boolean;
}

export interface MockHub {
  readonly endpoint: string;
  /** Every request: which server, path, and the Authorization header it carried. */
  readonly requests: { server: 'hub' | 'cdn'; path: string; auth: string | undefined }[];
  /** The CDN sends half of this file's next download, then drops the connection. */
  dropNext(filename: string): void;
  close(): Promise<void>;
}

const sha = (algo: string, data: Uint8Array) => createHash(algo).update(data).digest('hex');
const bytes = (v: Uint8Array | string) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const origin = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

export async function startMockHub(options: {
  repos: Readonly<Record<string, MockRepo>>;
  token?: string;
  renamed?: Readonly<Record<string, string>>;
}): Promise<MockHub> {
  const requests: MockHub['requests'] = [];
  const drops = new Set<string>();
  const blobs = new Map<string, { data: Buffer; filename: string }>(); // sha256 -> content

  const cdn = await listen((req, res) => {
    requests.push({ server: 'cdn', path: req.url ?? '', auth: req.headers.authorization });
    const blob = blobs.get((req.url ?? '').replace('/blobs/', ''));
    if (!blob) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': blob.data.length, ETag: '"cdn-etag-is-not-the-hub-etag"' });
    if (drops.delete(blob.filename)) {
      // Destroy only once the first half is on the wire, so the client sees a real mid-file drop.
      res.write(blob.data.subarray(0, blob.data.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(blob.data);
  });

  const hub = await listen((req, res) => {
    const path = req.url ?? '';
    requests.push({ server: 'hub', path, auth: req.headers.authorization });
    const m = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (!m) return void res.writeHead(400).end();
    const [repoId, revision, filename] = [m[1]!, decodeURIComponent(m[2]!), m[3]!.split('/').map(decodeURIComponent).join('/')];
    const renamedTo = options.renamed?.[repoId];
    if (renamedTo) {
      return void res.writeHead(307, { Location: `/${renamedTo}/resolve/${m[2]}/${m[3]}` }).end();
    }
    const repo = options.repos[repoId];
    if (!repo) return void res.writeHead(404, { 'X-Error-Code': 'RepositoryNotFound' }).end('Repository not found');
    if (repo.private && req.headers.authorization !== `Bearer ${options.token}`) {
      return void res.writeHead(401, { 'X-Error-Code': 'RepositoryNotFound' }).end('Invalid credentials');
    }
    if (revision !== 'main' && revision !== repo.commit) {
      return void res.writeHead(404, { 'X-Error-Code': 'RevisionNotFound' }).end('Revision not found');
    }
    const content = repo.files[filename];
    if (content === undefined) {
      return void res.writeHead(404, { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': repo.commit }).end('Entry not found');
    }
    const data = bytes(content);
    if (filename.endsWith('.safetensors')) {
      const digest = sha('sha256', data);
      blobs.set(digest, { data, filename });
      return void res
        .writeHead(302, {
          Location: `${origin(cdn)}/blobs/${digest}`,
          'X-Repo-Commit': repo.commit,
          'X-Linked-Etag': `"${digest}"`,
          'X-Linked-Size': data.length,
          ETag: `"${sha('sha1', data)}"`,
        })
        .end();
    }
    res.writeHead(200, { 'Content-Length': data.length, ETag: `W/"${sha('sha1', data)}"`, 'X-Repo-Commit': repo.commit });
    res.end(data);
  });

  return {
    endpoint: origin(hub),
    requests,
    dropNext: (filename) => void drops.add(filename),
    close: async () => {
      hub.closeAllConnections();
      cdn.closeAllConnections();
      await Promise.all([new Promise((r) => hub.close(r)), new Promise((r) => cdn.close(r))]);
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens (connections are refused). */
export async function closedEndpoint(): Promise<string> {
  const server = await listen(() => {});
  const url = origin(server);
  await new Promise((r) => server.close(r));
  return url;
}
