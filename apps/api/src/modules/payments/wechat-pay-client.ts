import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RequestPaymentParams } from '@lumi/shared';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import type { AppConfig } from '../../config/index.ts';
import { AppError } from '../../errors.ts';

/**
 * The one WeChat Pay API v3 client, built on wechatpay-axios-plugin: it signs every request with the merchant
 * key and refuses any 2xx whose Wechatpay-Signature does not verify with a key from `certs`. Everything the rest
 * of the module needs from WeChat goes through the WechatPayGateway interface, so tests inject a gateway that
 * points at the simulator and production builds one from config.
 */

export interface WechatPayCredentials {
  mchid: string;
  /** The mini-program the customers pay from (paySign covers it). */
  appId: string;
  merchantSerial: string;
  merchantPrivateKeyPem: string;
  /** Wechatpay-Serial → PEM (platform certificate or WeChat Pay public key). */
  platformKeys: Record<string, string>;
  apiV3Key: string;
  baseUrl: string;
  notifyUrl: string;
  timeoutMs: number;
}

/** What a JSAPI order, query or notify calls a transaction (wechatpay-go payments.Transaction). */
export interface WechatTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_state: string;
  trade_state_desc?: string;
  success_time?: string;
  attach?: string;
  payer?: { openid?: string };
  amount: { total: number; payer_total?: number; currency?: string };
}

export interface WechatRefund {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id?: string;
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  success_time?: string;
  amount: { total: number; refund: number };
}

export interface JsapiOrderBody {
  appid: string;
  mchid: string;
  description: string;
  out_trade_no: string;
  time_expire: string;
  attach?: string;
  notify_url: string;
  amount: { total: number; currency: 'CNY' };
  payer: { openid: string };
}

export interface RefundBody {
  out_trade_no: string;
  out_refund_no: string;
  reason: string;
  notify_url: string;
  amount: { refund: number; total: number; currency: 'CNY' };
}

export interface EncryptedResource {
  algorithm?: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/**
 * `rejected`: WeChat answered with a definite refusal (4xx and a code) — the request did not take effect.
 * `unknown`: a timeout, a network error, a 5xx or 429, or a 2xx that failed verification — the request may or may
 * not have taken effect, so the caller must query before sending it again.
 */
export class WechatPayError extends Error {
  constructor(
    readonly kind: 'rejected' | 'unknown',
    readonly wechatCode: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'WechatPayError';
  }
}

export interface WechatPayGateway {
  readonly mchid: string;
  readonly appId: string;
  readonly notifyUrl: string;
  /**
   * Throws SERVICE_UNAVAILABLE when the merchant keys are missing (development before the simulator wrote them),
   * so an order is refused before anything is recorded rather than recorded and then never placed.
   */
  assertConfigured(): void;
  createJsapiOrder(body: JsapiOrderBody): Promise<{ prepay_id: string }>;
  /** null when WeChat does not know the order (ORDER_NOT_EXIST); timeoutMs shortens the client's timeout. */
  queryOrder(outTradeNo: string, options?: { timeoutMs?: number }): Promise<WechatTransaction | null>;
  closeOrder(outTradeNo: string): Promise<void>;
  createRefund(body: RefundBody): Promise<WechatRefund>;
  /** null when WeChat does not know the refund (RESOURCE_NOT_EXISTS). */
  queryRefund(outRefundNo: string): Promise<WechatRefund | null>;
  /**
   * The day's trade bill (交易账单, type ALL: payments that succeeded and refunds started that Beijing day) as
   * its CSV text: applied for with GET /v3/bill/tradebill, fetched gzip-compressed from the download address
   * (an unsigned answer, so its SHA1 is checked against the signed application instead). A day WeChat has no bill
   * for yet, or none at all, is a `rejected` WechatPayError (NO_STATEMENT_EXIST, STATEMENT_CREATING).
   */
  downloadTradeBill(billDate: string): Promise<string>;
  /**
   * The day's fund-flow bill (资金账单) of the basic account (account_type BASIC: every movement of the merchant's
   * money — payments, fees, refunds) as its CSV text, applied for with GET /v3/bill/fundflowbill and checked the
   * same way; errors as downloadTradeBill.
   */
  downloadFundFlowBill(billDate: string): Promise<string>;
  /** wx.requestPayment parameters for a prepay_id, paySign made with the merchant key (WECHAT.md §1). */
  requestPayment(prepayId: string, now: Date): RequestPaymentParams;
  /**
   * The key that verifies messages signed under a Wechatpay-Serial. An unknown platform-certificate serial makes
   * the gateway download WeChat's certificates once (rate-limited); an unknown public key id is never fetched —
   * those come from the merchant portal and must be configured.
   */
  verificationKey(serial: string): Promise<KeyObject | null>;
  /** AES-256-GCM with the APIv3 key; throws when the tag does not verify. */
  decrypt(resource: EncryptedResource): string;
}

/** Everything the plugin's AxiosError carries that we branch on. */
interface PluginFailure {
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

/** Pino-compatible, so the app's logger fits. */
export interface GatewayLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

/** A header from axios's AxiosHeaders or a plain object, by lower-case name. */
function headerOf(headers: unknown, name: string): string {
  if (!headers || typeof headers !== 'object') return '';
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value = (getter as (n: string) => unknown).call(headers, name);
    if (value !== undefined && value !== null) return String(value);
  }
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? String((headers as Record<string, unknown>)[key]) : '';
}

const CERT_SERIAL = /^[0-9A-Fa-f]{8,40}$/;
const PUB_KEY_ID = /^PUB_KEY_ID_/;
/** A flood of forged notifications under made-up serials must not turn into a flood of certificate downloads. */
const CERTIFICATE_REFRESH_INTERVAL_MS = 60_000;

function classify(error: unknown): WechatPayError {
  if (error instanceof WechatPayError) return error;
  const e = error as PluginFailure;
  const status = e.response?.status ?? null;
  // The plugin's own verification failures (EV3_RES_*) arrive on 2xx answers: WeChat may have acted on them.
  if (e.code?.startsWith('EV3_RES_')) {
    return new WechatPayError('unknown', e.code, e.message ?? 'response did not verify', status);
  }
  if (status !== null && status >= 400 && status < 500 && status !== 429) {
    const body = (e.response?.data ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
    const message = typeof body.message === 'string' ? body.message : `WeChat Pay answered ${status}`;
    return new WechatPayError('rejected', code, message, status);
  }
  return new WechatPayError(
    'unknown',
    e.code ?? (status ? `HTTP_${status}` : 'NETWORK'),
    e.message ?? 'failed',
    status,
  );
}

/** The plugin copies certs when it is built, so trusting a new key means building the client again. */
function buildV3Client(credentials: WechatPayCredentials, keys: Map<string, KeyObject>) {
  const wxpay = new Wechatpay({
    mchid: credentials.mchid,
    serial: credentials.merchantSerial,
    // PEM text: a bare file path fails inside the plugin (issue #65).
    privateKey: credentials.merchantPrivateKeyPem,
    certs: Object.fromEntries(keys),
    baseURL: credentials.baseUrl,
    timeout: credentials.timeoutMs,
    // Loopback calls went to HTTP_PROXY without this (WECHAT.md §7).
    proxy: false,
  });
  return wxpay.client.v3;
}

class PluginWechatPayGateway implements WechatPayGateway {
  readonly mchid: string;
  readonly appId: string;
  readonly notifyUrl: string;
  readonly #credentials: WechatPayCredentials;
  readonly #merchantKey: KeyObject;
  readonly #keys = new Map<string, KeyObject>();
  readonly #log: GatewayLogger | undefined;
  #api: ReturnType<typeof buildV3Client>;
  #lastCertificateRefresh = 0;
  #refreshing: Promise<void> | null = null;

  constructor(credentials: WechatPayCredentials, log?: GatewayLogger) {
    this.#credentials = credentials;
    this.#log = log;
    this.mchid = credentials.mchid;
    this.appId = credentials.appId;
    this.notifyUrl = credentials.notifyUrl;
    this.#merchantKey = Rsa.from(credentials.merchantPrivateKeyPem, Rsa.KEY_TYPE_PRIVATE);
    for (const [serial, pem] of Object.entries(credentials.platformKeys)) {
      this.#keys.set(serial, Rsa.from(pem, Rsa.KEY_TYPE_PUBLIC));
    }
    if (this.#keys.size === 0) throw new Error('WeChat Pay needs at least one platform key or public key');
    this.#api = buildV3Client(credentials, this.#keys);
  }

  #refreshQuietly(): Promise<void> {
    return this.refreshCertificates().catch((error: unknown) => {
      this.#log?.warn({ err: error }, 'WeChat Pay platform certificate download failed');
    });
  }

  /**
   * With a WeChat Pay public key configured, ask WeChat to sign answers with it (the newest one): during a
   * migration from platform certificates WeChat only does so when the request names the key.
   */
  #headers(): Record<string, string> {
    const pubKeyIds = [...this.#keys.keys()].filter((serial) => PUB_KEY_ID.test(serial));
    const newest = pubKeyIds.at(-1);
    return newest ? { 'Wechatpay-Serial': newest } : {};
  }

  /** An answer signed under a platform certificate we have never seen: fetch the new certificates, then retry once. */
  async #call<T>(run: () => Promise<T>, retryAfterRefresh: boolean): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const failure = classify(error);
      const serial = headerOf((error as PluginFailure).response?.headers, 'wechatpay-serial');
      if (failure.wechatCode === 'EV3_RES_HEADER_PLATFORM_SERIAL' && CERT_SERIAL.test(serial)) {
        await this.#refreshQuietly();
        if (retryAfterRefresh && this.#keys.has(serial)) {
          try {
            return await run();
          } catch (again) {
            throw classify(again);
          }
        }
      }
      throw failure;
    }
  }

  /** Built from credentials, so configured by construction. */
  assertConfigured(): void {}

  async createJsapiOrder(body: JsapiOrderBody): Promise<{ prepay_id: string }> {
    // Not retried here even after a certificate refresh: a create whose answer did not verify has an unknown
    // outcome, and the caller queries before it sends the order again.
    const { data } = await this.#call(
      () => this.#api.post('/v3/pay/transactions/jsapi', body, { headers: this.#headers() }),
      false,
    );
    const prepayId = (data as { prepay_id?: unknown }).prepay_id;
    if (typeof prepayId !== 'string' || !prepayId) throw new WechatPayError('unknown', 'NO_PREPAY_ID', 'no prepay_id');
    return { prepay_id: prepayId };
  }

  async queryOrder(outTradeNo: string, options: { timeoutMs?: number } = {}): Promise<WechatTransaction | null> {
    const timeout = Math.min(options.timeoutMs ?? this.#credentials.timeoutMs, this.#credentials.timeoutMs);
    try {
      const { data } = await this.#call(
        () =>
          this.#api.get(`/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}`, {
            params: { mchid: this.mchid },
            headers: this.#headers(),
            timeout,
          }),
        true,
      );
      return data as WechatTransaction;
    } catch (error) {
      if (error instanceof WechatPayError && error.wechatCode === 'ORDER_NOT_EXIST') return null;
      throw error;
    }
  }

  async closeOrder(outTradeNo: string): Promise<void> {
    await this.#call(
      () =>
        this.#api.post(
          `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`,
          { mchid: this.mchid },
          { headers: this.#headers() },
        ),
      // Closing twice is harmless, so a close whose answer was signed by a new certificate is simply repeated.
      true,
    );
  }

  async createRefund(body: RefundBody): Promise<WechatRefund> {
    // Refunds are idempotent by out_refund_no, so repeating one after a certificate refresh is safe.
    const { data } = await this.#call(
      () => this.#api.post('/v3/refund/domestic/refunds', body, { headers: this.#headers() }),
      true,
    );
    return data as WechatRefund;
  }

  async queryRefund(outRefundNo: string): Promise<WechatRefund | null> {
    try {
      const { data } = await this.#call(
        () =>
          this.#api.get(`/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`, {
            headers: this.#headers(),
          }),
        true,
      );
      return data as WechatRefund;
    } catch (error) {
      if (error instanceof WechatPayError && error.wechatCode === 'RESOURCE_NOT_EXISTS') return null;
      throw error;
    }
  }

  async downloadTradeBill(billDate: string): Promise<string> {
    return this.#downloadBill('/v3/bill/tradebill', { bill_date: billDate, bill_type: 'ALL', tar_type: 'GZIP' });
  }

  async downloadFundFlowBill(billDate: string): Promise<string> {
    return this.#downloadBill('/v3/bill/fundflowbill', {
      bill_date: billDate,
      account_type: 'BASIC',
      tar_type: 'GZIP',
    });
  }

  /** Applies for a bill (a signed answer with its SHA1), downloads it and refuses a file that does not match. */
  async #downloadBill(path: string, params: { bill_date: string } & Record<string, string>): Promise<string> {
    const billDate = params.bill_date;
    const { data } = await this.#call(() => this.#api.get(path, { params, headers: this.#headers() }), true);
    const application = data as { hash_type?: unknown; hash_value?: unknown; download_url?: unknown };
    if (typeof application.download_url !== 'string' || typeof application.hash_value !== 'string') {
      throw new WechatPayError('unknown', 'BILL_APPLICATION_INVALID', 'the bill application has no download address');
    }
    const address = new URL(application.download_url);
    // The address comes from a signed answer, but a signed request still only goes to WeChat itself.
    if (address.origin !== new URL(this.#credentials.baseUrl).origin) {
      throw new WechatPayError(
        'unknown',
        'BILL_URL_FOREIGN',
        `bill download address ${address.origin} is not WeChat Pay`,
      );
    }
    // By path and params, not the whole address: the plugin recognises its unsigned downloads by bare path.
    const download = await this.#call(
      () =>
        this.#api.get(address.pathname, {
          params: Object.fromEntries(address.searchParams),
          responseType: 'arraybuffer',
        }),
      false,
    );
    const raw = Buffer.from(download.data as ArrayBuffer);
    const bill = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    // SHA1 is the one hash_type WeChat documents; anything else is not taken on trust.
    if (application.hash_type !== 'SHA1') {
      throw new WechatPayError(
        'unknown',
        'BILL_HASH_TYPE',
        `unexpected bill hash_type ${String(application.hash_type)}`,
      );
    }
    if (createHash('sha1').update(bill).digest('hex') !== application.hash_value.toLowerCase()) {
      throw new WechatPayError(
        'unknown',
        'BILL_HASH_MISMATCH',
        `the bill ${path} of ${billDate} does not match its hash`,
      );
    }
    return bill.toString('utf8');
  }

  requestPayment(prepayId: string, now: Date): RequestPaymentParams {
    const timeStamp = String(Math.floor(now.getTime() / 1000));
    const nonceStr = Formatter.nonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = Rsa.sign(Formatter.joinedByLineFeed(this.appId, timeStamp, nonceStr, pkg), this.#merchantKey);
    return { appId: this.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  async verificationKey(serial: string): Promise<KeyObject | null> {
    const known = this.#keys.get(serial);
    if (known) return known;
    if (!CERT_SERIAL.test(serial)) return null;
    await this.#refreshQuietly();
    return this.#keys.get(serial) ?? null;
  }

  decrypt(resource: EncryptedResource): string {
    return Aes.AesGcm.decrypt(
      resource.ciphertext,
      this.#credentials.apiV3Key,
      resource.nonce,
      resource.associated_data ?? '',
    );
  }

  /**
   * GET /v3/certificates (platform-certificate mode). The certificates come AES-GCM encrypted with the APIv3 key,
   * which only WeChat and the merchant hold, so a certificate that decrypts is WeChat's; the answer's own
   * signature is then checked with the downloaded certificate it names (what wechatpay-go's downloader does),
   * since after a rotation WeChat signs it with a certificate we do not have yet.
   */
  refreshCertificates(): Promise<void> {
    if (this.#refreshing) return this.#refreshing;
    if (Date.now() - this.#lastCertificateRefresh < CERTIFICATE_REFRESH_INTERVAL_MS) return Promise.resolve();
    this.#lastCertificateRefresh = Date.now();
    this.#refreshing = this.#downloadCertificates().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #downloadCertificates(): Promise<void> {
    type Listing = { data?: { serial_no: string; encrypt_certificate: EncryptedResource }[] };
    let listing: Listing;
    let unverified: { raw: string; headers: unknown } | null = null;
    try {
      listing = (await this.#api.get('/v3/certificates')).data as Listing;
    } catch (error) {
      const failure = error as PluginFailure;
      if (failure.code !== 'EV3_RES_HEADER_PLATFORM_SERIAL' || typeof failure.response?.data !== 'string') throw error;
      unverified = { raw: failure.response.data, headers: failure.response.headers };
      listing = JSON.parse(unverified.raw) as Listing;
    }
    const downloaded = new Map<string, KeyObject>();
    const now = new Date();
    for (const entry of listing.data ?? []) {
      const certificate = new X509Certificate(this.decrypt(entry.encrypt_certificate));
      if (certificate.serialNumber.toUpperCase() !== entry.serial_no.toUpperCase()) continue;
      if (new Date(certificate.validFrom) > now || new Date(certificate.validTo) < now) continue;
      downloaded.set(entry.serial_no, certificate.publicKey);
    }
    if (unverified) {
      const header = (name: string) => headerOf(unverified.headers, name);
      const signer = downloaded.get(header('wechatpay-serial'));
      const message = Formatter.response(header('wechatpay-timestamp'), header('wechatpay-nonce'), unverified.raw);
      if (!signer || !Rsa.verify(message, header('wechatpay-signature'), signer)) {
        throw new WechatPayError('unknown', 'CERTIFICATES_UNVERIFIED', 'downloaded certificates did not verify');
      }
    }
    const added = [...downloaded].filter(
      ([serial]) => !this.#keys.has(serial) && serial !== this.#credentials.merchantSerial,
    );
    for (const [serial, key] of added) this.#keys.set(serial, key);
    if (added.length > 0) {
      this.#api = buildV3Client(this.#credentials, this.#keys);
      this.#log?.warn({ serials: added.map(([serial]) => serial) }, 'trusting new WeChat Pay platform certificates');
    }
  }
}

export function createWechatPayGateway(credentials: WechatPayCredentials, log?: GatewayLogger): WechatPayGateway {
  return new PluginWechatPayGateway(credentials, log);
}

/**
 * Reads the key material config points at: explicit settings first; in development the simulator's key folder
 * (keys.json with serials and the APIv3 key, PEM files beside it) fills in whatever is not set.
 */
export function wechatPayCredentialsFromConfig(config: AppConfig): WechatPayCredentials {
  const production = config.NODE_ENV === 'production';
  const dir = isAbsolute(config.WECHAT_PAY_KEYS_DIR) ? config.WECHAT_PAY_KEYS_DIR : resolve(config.WECHAT_PAY_KEYS_DIR);
  const manifestPath = join(dir, 'keys.json');
  const manifest =
    !production && existsSync(manifestPath)
      ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as {
          mchid?: string;
          merchantSerial?: string;
          apiV3Key?: string;
          platformSerial?: string;
          pubKeyId?: string;
          files?: { merchantPrivateKey?: string; platformCert?: string; pubKey?: string };
        })
      : undefined;
  const fromDir = (name: string | undefined, fallback: string) => join(dir, name ?? fallback);

  const merchantSerial = config.WECHAT_PAY_MERCHANT_SERIAL ?? manifest?.merchantSerial;
  const merchantKeyPath =
    config.WECHAT_PAY_MERCHANT_KEY_PATH ??
    (manifest ? fromDir(manifest.files?.merchantPrivateKey, 'apiclient_key.pem') : undefined);
  const apiV3Key = config.WECHAT_PAY_APIV3_KEY ?? manifest?.apiV3Key;
  let platformKeyPaths = config.WECHAT_PAY_PLATFORM_KEYS;
  if (!platformKeyPaths && manifest) {
    platformKeyPaths = {};
    if (manifest.platformSerial) {
      platformKeyPaths[manifest.platformSerial] = fromDir(manifest.files?.platformCert, 'wechatpay_platform_cert.pem');
    }
    if (manifest.pubKeyId) platformKeyPaths[manifest.pubKeyId] = fromDir(manifest.files?.pubKey, 'pub_key.pem');
  }
  if (!merchantSerial || !merchantKeyPath || !apiV3Key || !platformKeyPaths || !Object.keys(platformKeyPaths).length) {
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `WeChat Pay is not configured: set the WECHAT_PAY_* key settings or start the simulator with --keys-dir ${dir}`,
    );
  }
  return {
    mchid: config.WECHAT_PAY_MCHID,
    appId: config.WECHAT_CUSTOMER_APPID,
    merchantSerial,
    merchantPrivateKeyPem: readFileSync(merchantKeyPath, 'utf8'),
    platformKeys: Object.fromEntries(
      Object.entries(platformKeyPaths).map(([serial, path]) => [serial, readFileSync(path, 'utf8')]),
    ),
    apiV3Key,
    baseUrl: config.WECHAT_PAY_BASE,
    notifyUrl: config.WECHAT_PAY_NOTIFY_URL,
    timeoutMs: config.WECHAT_PAY_TIMEOUT_MS,
  };
}

/**
 * The gateway config describes, built on first use outside production so an API without WeChat Pay keys (tests
 * of other modules, the OpenAPI generator) still starts; production builds it at start-up and fails fast.
 */
export function wechatPayGatewayFromConfig(config: AppConfig, log?: GatewayLogger): WechatPayGateway {
  if (config.NODE_ENV === 'production') return createWechatPayGateway(wechatPayCredentialsFromConfig(config), log);
  let built: WechatPayGateway | undefined;
  const gateway = () => {
    built ??= createWechatPayGateway(wechatPayCredentialsFromConfig(config), log);
    return built;
  };
  return {
    mchid: config.WECHAT_PAY_MCHID,
    appId: config.WECHAT_CUSTOMER_APPID,
    notifyUrl: config.WECHAT_PAY_NOTIFY_URL,
    assertConfigured: () => {
      gateway();
    },
    createJsapiOrder: async (body) => gateway().createJsapiOrder(body),
    queryOrder: async (no, options) => gateway().queryOrder(no, options),
    closeOrder: async (no) => gateway().closeOrder(no),
    createRefund: async (body) => gateway().createRefund(body),
    queryRefund: async (no) => gateway().queryRefund(no),
    downloadTradeBill: async (day) => gateway().downloadTradeBill(day),
    downloadFundFlowBill: async (day) => gateway().downloadFundFlowBill(day),
    requestPayment: (prepayId, now) => gateway().requestPayment(prepayId, now),
    verificationKey: async (serial) => {
      try {
        return await gateway().verificationKey(serial);
      } catch {
        // Without keys nothing can verify: the notification is refused like any other unverifiable one.
        return null;
      }
    },
    decrypt: (resource) => gateway().decrypt(resource),
  };
}
