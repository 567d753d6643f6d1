// A directory server that quotes what it was sent: it answers every simple bind with result code
// 80 (other) and the bind password in its diagnostic message, as a badly written server or proxy
// may. Just enough LDAPv3 BER (RFC 4511) for the real ldapts client to bind against it.
import { createServer, type AddressInfo, type Server } from "node:net";

/** One BER element: tag, contents and where the next element starts. */
function readElement(bytes: Buffer, at: number): { tag: number; value: Buffer; next: number } {
  const tag = bytes[at]!;
  let length = bytes[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[start + i]!;
    start += octets;
  }
  return { tag, value: bytes.subarray(start, start + length), next: start + length };
}

function element(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, value]);
}

/** BindResponse (APPLICATION 1) with result code 80 and `message` as diagnosticMessage. */
function bindRefusal(messageId: Buffer, message: string): Buffer {
  const result = Buffer.concat([element(0x0a, Buffer.from([80])), element(0x04, Buffer.alloc(0)), element(0x04, Buffer.from(message, "utf8"))]);
  return element(0x30, Buffer.concat([element(0x02, messageId), element(0x61, result)]));
}

export async function startEchoingLdapServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // A whole LDAPMessage: SEQUENCE { messageID, protocolOp }.
      while (pending.length >= 2) {
        const message = readElement(pending, 0);
        if (message.next > pending.length) return;
        pending = pending.subarray(message.next);
        const id = readElement(message.value, 0);
        const op = readElement(message.value, id.next);
        if (op.tag !== 0x60) continue; // only BindRequest is answered (an UnbindRequest ends the session)
        const version = readElement(op.value, 0);
        const name = readElement(op.value, version.next);
        const password = readElement(op.value, name.next).value.toString("utf8");
        socket.write(bindRefusal(id.value, `bind for ${name.value.toString("utf8")} with password ${password} failed`));
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ldap://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
