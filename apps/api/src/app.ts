import { ledgerDeps } from './ledger-deps.ts';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppConfig } from './config/index.ts';
import type { Database, DatabaseHandle } from './db/database.ts';
import { sqlState } from './db/pg-errors.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { authRoutes, createWechatLoginClient, type WechatLoginClient } from './modules/auth/index.ts';
import { catalogRoutes } from './modules/catalog/index.ts';
import {
  BASIC_CHECKOUT_HOOKS,
  billPaymentPurpose,
  type CheckoutDeps,
  type CheckoutHooks,
  approvalRoutes,
  checkoutRoutes,
} from './modules/checkout/index.ts';
import {
  authorizeCreditCharge,
  creditRepaymentPurpose,
  creditRoutes,
  creditLimitSql,
  creditWalletLimits,
  recordCreditSale,
  reduceCreditSale,
} from './modules/credit/index.ts';
import { brandRoutes, customerRoutes, memberCodeKey } from './modules/customers/index.ts';
import { healthRoutes } from './modules/health/index.ts';
import { absorbSignUp } from './modules/merging/index.ts';
import { inboxRoutes } from './modules/inbox/index.ts';
import { type LedgerDeps, ledgerRoutes, PostingBatches, SpendContexts } from './modules/ledger/index.ts';
import {
  type MessagingDeps,
  messagingDeps,
  messagingRoutes,
  notifyBill,
  staffWechatRoutes,
} from './modules/messaging/index.ts';
import { reportRoutes } from './modules/reports/index.ts';
import { topUpPlanRoutes } from './modules/top-up-plans/index.ts';
import {
  closeOpenOrders,
  createPaymentOrder,
  createPayments,
  orderView,
  type Payments,
  counterPaymentRoutes,
  createMiniProgramCodes,
  paymentRoutes,
  recordPurposeRefund,
  sendRecordedRefund,
  topUpPurpose,
  type WechatPayGateway,
  wechatPayGatewayFromConfig,
} from './modules/payments/index.ts';
import {
  redeemCoupon,
  releaseCoupon,
  reserveCoupon,
  restoreCoupon,
  segmentationRoutes,
  tierBenefits,
  tierBenefitsOf,
  tierBenefitsSql,
} from './modules/segmentation/index.ts';
import {
  type ShopDeps,
  shopImageRoutes,
  shopOpen,
  shopOrderPurpose,
  shopRoutes,
  shopSettingsAndVoucherRoutes,
  voucherBillLines,
} from './modules/shop/index.ts';
import { staffRoutes } from './modules/staff/index.ts';
import authPlugin from './plugins/auth.ts';
import errorsPlugin, { frameworkErrors } from './plugins/errors.ts';
import openapiPlugin from './plugins/openapi.ts';
import securityPlugin from './plugins/security.ts';
import { storableInputValidator } from './plugins/storable-input.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    /** The payments module's dependencies, for the reconciliation jobs the server starts. */
    payments: Payments;
    /** The WeChat subscribe client and SMS provider, shared with the reminder and campaign jobs. */
    messaging: MessagingDeps;
    /** The shop's dependencies, for its order expiry and delivery jobs. */
    shop: ShopDeps;
  }
}

export interface BuildAppOptions {
  config: AppConfig;
  database: DatabaseHandle;
  /** Replaces the WeChat login client; tests use it only to point at a simulator they started. */
  wechatLogin?: WechatLoginClient;
  /** Replaces the WeChat Pay client; tests use it only to point at a simulator they started. */
  wechatPay?: WechatPayGateway;
  /** The clock for business rules (expiry, offers in force); tests move it. */
  now?: () => Date;
  /** Sees every route as it is registered; tests enumerate the route table with it. */
  onRoute?: (route: RouteOptions) => void;
}

/** Builds the API without listening, so tests can `inject` requests or listen on a port of their own. */
export async function buildApp({
  config,
  database,
  wechatLogin,
  wechatPay,
  now = () => new Date(),
  onRoute,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.LOG_LEVEL,
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              '*.password',
              '*.refreshToken',
              '*.accessToken',
            ],
          },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Ids in request logs let a support engineer follow one checkout through every line it wrote.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();

  if (onRoute) app.addHook('onRoute', onRoute);
  app.setValidatorCompiler(storableInputValidator);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', database.db);
  database.onConnectionError((error) =>
    // Only what identifies the fault: node-postgres hangs the whole client object on some of these errors.
    app.log.warn(
      { code: sqlState(error) ?? (error as { code?: unknown }).code, reason: error.message },
      'database dropped a connection; the pool replaces it',
    ),
  );

  await app.register(errorsPlugin);
  await app.register(securityPlugin, { config });
  await app.register(openapiPlugin);
  await app.register(authPlugin, { config });

  const wechat =
    wechatLogin ??
    createWechatLoginClient({
      baseUrl: config.WECHAT_API_BASE,
      appId: config.WECHAT_CUSTOMER_APPID,
      secret: config.WECHAT_CUSTOMER_SECRET,
      timeoutMs: config.WECHAT_TIMEOUT_MS,
    });

  await app.register(healthRoutes(database));
  await app.register(
    authRoutes(
      {
        wechat,
        signAccessToken: (claims) => app.signAccessToken(claims),
        accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
        lockout: { maxFailures: config.STAFF_LOCKOUT_FAILURES, minutes: config.STAFF_LOCKOUT_MINUTES },
        absorbSignUp: async (tx, merge) => ({ ...(await absorbSignUp(tx, merge)) }),
      },
      config.LOGIN_RATE_LIMIT_PER_MINUTE,
    ),
  );
  await app.register(
    customerRoutes(
      {
        key: memberCodeKey(config.JWT_SECRET),
        ttlSeconds: config.MEMBER_CODE_TTL_SECONDS,
        now,
      },
      shopOpen,
    ),
  );
  await app.register(brandRoutes);
  await app.register(staffRoutes);
  await app.register(catalogRoutes);

  const ledger: LedgerDeps = ledgerDeps(now, {
    spendContexts: new SpendContexts(),
    postings: new PostingBatches(config.LEDGER_POSTING_SLOTS),
    creditLimit: creditLimitSql,
  });
  const messaging = messagingDeps(config, database.db, now);
  app.decorate('messaging', messaging);
  await app.register(
    staffWechatRoutes(
      createWechatLoginClient({
        baseUrl: config.WECHAT_API_BASE,
        appId: config.WECHAT_STAFF_APPID,
        secret: config.WECHAT_STAFF_SECRET,
        timeoutMs: config.WECHAT_TIMEOUT_MS,
      }),
      messaging,
    ),
  );
  // Fills in the wallet's credit.limitFen on every response that carries a wallet (the ledger knows no limits).
  await app.register(creditWalletLimits);
  await app.register(ledgerRoutes(ledger));
  await app.register(creditRoutes(ledger));
  const checkoutHooks: CheckoutHooks = {
    ...BASIC_CHECKOUT_HOOKS,
    authorizeCreditCharge: (tx, input) => authorizeCreditCharge(tx, ledger, input),
    // Due dates count from the app's clock, which tests move.
    recordCreditSale: async (tx, input) => {
      await recordCreditSale(tx, { ...input, at: ledger.now() });
    },
    reduceCreditSale: (tx, input) => reduceCreditSale(tx, { ...input, at: ledger.now() }),
    tierBenefits,
    tierBenefitsRead: { sql: tierBenefitsSql, of: tierBenefitsOf },
    reserveCoupon,
    redeemCoupon,
    releaseCoupon,
    notifyCustomer: async (notice) => {
      await notifyBill(database.db, messaging, notice);
    },
    shopVouchers: voucherBillLines,
  };
  const checkout: CheckoutDeps = { ledger, hooks: checkoutHooks };
  const shop: ShopDeps = {
    ledger,
    hooks: checkoutHooks,
    restoreCoupon,
    tierOf: tierBenefits,
    // An unpaid order keeps its stock and held balance as long as its WeChat payment may be made.
    paymentMinutes: config.WECHAT_PAY_ORDER_TTL_MINUTES,
  };
  const payments = createPayments({
    db: database.db,
    ledger,
    gateway: wechatPay ?? wechatPayGatewayFromConfig(config, app.log),
    orderTtlMinutes: config.WECHAT_PAY_ORDER_TTL_MINUTES,
    queryAfterMinutes: config.WECHAT_PAY_QUERY_AFTER_MINUTES,
    now,
    log: app.log,
    purposes: [topUpPurpose, billPaymentPurpose(checkout), creditRepaymentPurpose, shopOrderPurpose(shop)],
  });
  checkout.payBill = async (who, billId, key, hash) => {
    const { order, replayed } = await createPaymentOrder(payments, 'bill', who, { billId }, key, hash);
    return { order: await orderView(payments, order), replayed };
  };
  checkout.wechatRefunds = {
    record: async (tx, input) => {
      const refund = await recordPurposeRefund(tx, payments, { ...input, purpose: 'bill', purposeRef: input.billId });
      return { outRefundNo: refund.outRefundNo };
    },
    send: async (tenantId, outRefundNo) => {
      await sendRecordedRefund(payments, tenantId, outRefundNo);
    },
  };
  shop.wechat = {
    pay: async (who, orderId, key, hash) => {
      const { order, replayed } = await createPaymentOrder(payments, 'shop_order', who, { orderId }, key, hash);
      return { order: await orderView(payments, order), replayed };
    },
    close: (tenantId, orderId, reason) => closeOpenOrders(payments, tenantId, 'shop_order', orderId, reason),
    recordRefund: async (tx, input) => {
      const refund = await recordPurposeRefund(tx, payments, {
        ...input,
        purpose: 'shop_order',
        purposeRef: input.orderId,
      });
      return { outRefundNo: refund.outRefundNo };
    },
    sendRefund: async (tenantId, outRefundNo) => {
      await sendRecordedRefund(payments, tenantId, outRefundNo);
    },
  };
  app.decorate('payments', payments);
  app.decorate('shop', shop);
  await app.register(paymentRoutes(payments));
  await app.register(
    counterPaymentRoutes(
      payments,
      createMiniProgramCodes({
        baseUrl: config.WECHAT_API_BASE,
        accessToken: messaging.customerAccessToken,
        timeoutMs: config.WECHAT_TIMEOUT_MS,
        envVersion: config.WECHAT_CODE_ENV_VERSION,
        now: () => now().getTime(),
      }),
    ),
  );
  await app.register(auditRoutes);
  await app.register(checkoutRoutes(checkout));
  await app.register(approvalRoutes(checkout));
  await app.register(inboxRoutes);
  await app.register(reportRoutes(now));
  await app.register(topUpPlanRoutes(now));
  await app.register(shopRoutes(shop));
  await app.register(shopSettingsAndVoucherRoutes(shop));
  await app.register(shopImageRoutes);
  await app.register(segmentationRoutes(now));
  await app.register(messagingRoutes(messaging));

  return app;
}
