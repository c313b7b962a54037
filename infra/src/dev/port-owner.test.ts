import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPart } from './part-check.js';
import { assertPortsFree, PortTakenError, portOwner, processGroup } from './port-owner.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  // A client's keep-alive socket would hold close() open.
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Listens on a port the kernel picks (never one `pnpm dev` uses) and answers HTTP 200 there. */
async function holdPort(): Promise<number> {
  const server = createServer((socket) => {
    socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok');
    sockets.add(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('port ownership', () => {
  it('names the process listening on a port', async () => {
    const port = await holdPort();
    expect(portOwner(port)).toMatchObject({ pid: process.pid, command: expect.stringContaining('node') });
  });

  it('reads the process group: a detached child leads its own, a plain one shares its parent’s', () => {
    const detached = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { detached: true });
    const plain = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      expect(processGroup(detached.pid as number)).toBe(detached.pid);
      expect(processGroup(plain.pid as number)).toBe(processGroup(process.pid));
      expect(processGroup(plain.pid as number)).not.toBe(plain.pid);
    } finally {
      detached.kill('SIGKILL');
      plain.kill('SIGKILL');
    }
  });

  it('throws a PortTakenError naming the part, the address and the holder', async () => {
    const port = await holdPort();
    const error = await assertPortsFree([{ name: 'operator', url: `http://127.0.0.1:${port}` }]).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PortTakenError);
    expect((error as Error).message).toMatch(
      new RegExp(`^operator: 127\\.0\\.0\\.1:${port} is already in use by pid ${process.pid} \\(.*node`),
    );
  });

  it('passes when every port is free', async () => {
    const port = await holdPort();
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await expect(
      assertPortsFree([{ name: 'admin', url: `http://127.0.0.1:${port}` }]),
    ).resolves.toBeUndefined();
  });

  it('does not announce a part whose port another process answers', async () => {
    const port = await holdPort();
    // A part that is running but is not the listener: its process group is not the one holding the port.
    const part = { pid: 2 ** 22 + 1, exitCode: null, signalCode: null } as unknown as ChildProcess;
    const outcome = await checkPart(
      { name: 'operator', url: `http://127.0.0.1:${port}`, health: '/', what: 'inbox', command: ['vite'] },
      part,
      10_000,
    );
    expect(outcome).toEqual({
      answered: false,
      reason: expect.stringMatching(
        new RegExp(
          `^http://127\\.0\\.0\\.1:${port} is answered by pid ${process.pid} \\(.*\\), not by operator$`,
        ),
      ),
    });
  });
});
