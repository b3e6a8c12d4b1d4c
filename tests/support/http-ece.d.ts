/** The part of `http_ece` (web-push's own dependency, untyped) the local test push service uses. */
declare module "http_ece" {
  import type { ECDH } from "node:crypto";
  /** Decrypt an aes128gcm Web Push body (RFC 8291) with the receiving browser's key and auth secret. */
  export function decrypt(
    buffer: Buffer,
    params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string },
  ): Buffer;
}
