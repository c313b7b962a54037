import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/** A process listening on a TCP port, as /proc shows it. */
export interface PortOwner {
  pid: number;
  /** Its command line, shortened for a one-line message. */
  command: string;
}

/** `pnpm dev` will not start a part whose port something else holds: it would answer in the part's place. */
export class PortTakenError extends Error {
  constructor(
    readonly part: string,
    readonly address: string,
    readonly owner: PortOwner | undefined,
  ) {
    const holder = owner
      ? `pid ${owner.pid} (${owner.command})`
      : `a process this user cannot see (ss -ltnp 'sport = :${address.split(':').at(-1)}' names it)`;
    super(
      `${part}: ${address} is already in use by ${holder}; stop it or free the port, then run pnpm dev again`,
    );
    this.name = 'PortTakenError';
  }
}

/** Whether this process could listen on host:port now (it listens and closes at once). */
export function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws {@link PortTakenError} for the first part whose port is taken, naming the process that holds it. */
export async function assertPortsFree(parts: readonly { name: string; url: string }[]): Promise<void> {
  for (const part of parts) {
    const { hostname, port } = new URL(part.url);
    if (await canListen(hostname, Number(port))) continue;
    throw new PortTakenError(part.name, `${hostname}:${port}`, portOwner(Number(port)));
  }
}

/**
 * The process listening on `port` (any address), from /proc/net/tcp{,6} and each process's socket fds; undefined
 * when none listens or the listener belongs to a user whose fds this one cannot read.
 */
export function portOwner(port: number): PortOwner | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return { pid: Number(entry), command: commandLine(Number(entry)) };
    }
  }
  return undefined;
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or undefined when it is gone. */
export function processGroup(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return undefined;
  }
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      // 0A is LISTEN: a client socket of some other program that happens to use this local port is not a holder.
      if (state === '0A' && local?.endsWith(`:${hexPort}`) && inode) inodes.add(inode);
    }
  }
  return inodes;
}

function commandLine(pid: number): string {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return command.length > 120 ? `${command.slice(0, 117)}…` : command;
  } catch {
    return 'unknown command';
  }
}
