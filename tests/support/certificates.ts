/**
 * Certificates made in tests: a private CA, and server certificates it signs (or signs
 * itself) for chosen names and validity — to test how checks judge certificates
 * without any real certificate authority.
 */
import { generate } from "selfsigned";

export interface Pem {
  key: string;
  cert: string;
}

const DAY_MS = 86_400_000;

export function makeCa(name = "Better Uptime Test CA"): Promise<Pem> {
  return generate([{ name: "commonName", value: name }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 365 * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
}

/**
 * A server certificate for `names` (DNS names; "127.0.0.1" as an IP), valid from
 * `fromDays` to `toDays` days from now, signed by `ca` (self-signed without one).
 */
export async function makeServerCertificate(options: {
  names: string[];
  fromDays?: number;
  toDays: number;
  ca?: Pem;
}): Promise<Pem> {
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: options.names[0]! }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(now + (options.fromDays ?? -1) * DAY_MS),
    notAfterDate: new Date(now + options.toDays * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: options.names.map((name) =>
          /^[\d.]+$/.test(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
        ),
      },
    ],
    ...(options.ca ? { ca: options.ca } : {}),
  });
  return { key: pems.private, cert: pems.cert };
}
