/** A real HTTP proxy on 127.0.0.1 that serves CONNECT tunnels (optionally requiring Basic credentials) and records them. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedConnect {
  /** host:port the client asked for. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  readonly allowed: boolean;
}

export interface ConnectProxy {
  readonly host: string;
  readonly port: number;
  readonly connects: ProxiedConnect[];
  close(): Promise<void>;
}

export async function startConnectProxy(credentials?: { user: string; password: string }): Promise<ConnectProxy> {
  const connects: ProxiedConnect[] = [];
  const sockets = new Set<Socket>();
  const expected = credentials && `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const server = createServer((_req, res) => {
    res.writeHead(405);
    res.end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const allowed = expected === undefined || req.headers['proxy-authorization'] === expected;
    connects.push({ target: req.url ?? '', headers: req.headers, allowed });
    if (!allowed) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
