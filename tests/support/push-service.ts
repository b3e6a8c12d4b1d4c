import { createECDH, randomBytes, type ECDH } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { decrypt } from "http_ece";
import { PushPayload, type PushSubscriptionBody } from "../../shared/protocol/push.js";

export interface ReceivedPush {
  device: string;
  headers: IncomingHttpHeaders;
  /** The decrypted body, as the service worker would get it. */
  text: string;
  payload: PushPayload;
}

interface Device {
  ecdh: ECDH;
  auth: string;
}

/**
 * A push service on 127.0.0.1 (port 0) standing in for FCM or Mozilla's: it hands out
 * subscriptions made like a browser's (a P-256 key pair and a 16-byte auth secret), receives the
 * server's pushes, and decrypts each with the device's private key — so a test reads exactly
 * what would reach the lock screen. A device can be told to answer 410 (unsubscribed).
 */
export class LocalPushService {
  readonly received: ReceivedPush[] = [];
  private readonly devices = new Map<string, Device>();
  private readonly statuses = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  private next = 0;

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<LocalPushService> {
    let self: LocalPushService | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const status = self?.receive(req.url ?? "", req.headers, Buffer.concat(chunks)) ?? 500;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const addr = server.address();
    if (addr === null || typeof addr === "string") throw new Error("no address");
    self = new LocalPushService(server, `http://127.0.0.1:${addr.port}`);
    return self;
  }

  /** A new browser profile's subscription, as `PushSubscription.toJSON()` gives it. */
  device(): { name: string; subscription: PushSubscriptionBody } {
    const name = `d${++this.next}`;
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const auth = randomBytes(16).toString("base64url");
    this.devices.set(name, { ecdh, auth });
    return {
      name,
      subscription: {
        endpoint: `${this.base}/push/${name}`,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth },
      },
    };
  }

  /** From now on this device answers `status` (410: the browser unsubscribed). */
  answer(device: string, status: number): void {
    this.statuses.set(device, status);
  }

  to(device: string): ReceivedPush[] {
    return this.received.filter((r) => r.device === device);
  }

  /** Resolves once `test` holds (checked at every push received), or fails after `ms`. */
  async until(test: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(url: string, headers: IncomingHttpHeaders, body: Buffer): number {
    const name = url.replace(/^\/push\//, "");
    const device = this.devices.get(name);
    if (!device) return 404;
    const status = this.statuses.get(name);
    if (status !== undefined) return status;
    const text = decrypt(body, { version: "aes128gcm", privateKey: device.ecdh, authSecret: device.auth }).toString(
      "utf8",
    );
    this.received.push({ device: name, headers, text, payload: PushPayload.parse(JSON.parse(text)) });
    for (const w of this.waiters.splice(0)) w();
    return 201;
  }
}
