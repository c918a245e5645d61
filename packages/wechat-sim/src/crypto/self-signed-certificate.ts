import { createPublicKey, type KeyObject, sign, X509Certificate } from 'node:crypto';
import {
  derBitString,
  derExplicit,
  derNull,
  derObjectId,
  derPrintableString,
  derSequence,
  derSet,
  derSmallInteger,
  derUnsignedInteger,
  derUtcTime,
  derUtf8String,
} from './der.ts';

const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID_COUNTRY = '2.5.4.6';
const OID_ORGANIZATION = '2.5.4.10';
const OID_COMMON_NAME = '2.5.4.3';

export interface CertificateSubject {
  commonName: string;
  organization: string;
}

export interface SelfSignedCertificateInput {
  /** 40 upper-case hex digits, the shape of WeChat Pay certificate serials. */
  serialHex: string;
  subject: CertificateSubject;
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

function encodeName(subject: CertificateSubject): Buffer {
  const attribute = (oid: string, value: Buffer) => derSet(derSequence(derObjectId(oid), value));
  return derSequence(
    attribute(OID_COUNTRY, derPrintableString('CN')),
    attribute(OID_ORGANIZATION, derUtf8String(subject.organization)),
    attribute(OID_COMMON_NAME, derUtf8String(subject.commonName)),
  );
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Builds a v3 X.509 certificate signed by its own key. Clients (the plugin, wechatpay-go) only read
 * the public key and serial from it, so no extensions or CA chain are needed.
 */
export function createSelfSignedCertificate(input: SelfSignedCertificateInput): string {
  const algorithm = derSequence(derObjectId(OID_SHA256_WITH_RSA), derNull());
  const name = encodeName(input.subject);
  const spki = createPublicKey(input.privateKey).export({ type: 'spki', format: 'der' });
  const tbs = derSequence(
    derExplicit(0, derSmallInteger(2)),
    derUnsignedInteger(Buffer.from(input.serialHex, 'hex')),
    algorithm,
    name,
    derSequence(derUtcTime(input.notBefore), derUtcTime(input.notAfter)),
    name,
    spki,
  );
  const signature = sign('sha256', tbs, input.privateKey);
  const pem = toPem(derSequence(tbs, algorithm, derBitString(signature)));
  // Parse it back so a DER mistake fails here instead of inside a client.
  new X509Certificate(pem);
  return pem;
}
