import { errorResponses } from '../../plugins/openapi.ts';
import {
  AcknowledgedSchema,
  CampaignFeedbackListSchema,
  CampaignFeedbackRequestSchema,
  CampaignListSchema,
  CampaignMessagePageSchema,
  CampaignMessagesQuerySchema,
  CampaignResultsQuerySchema,
  CampaignResultsSchema,
  CampaignSchema,
  CouponListQuerySchema,
  CouponListSchema,
  CouponSchema,
  CreateCampaignRequestSchema,
  CustomerTierSchema,
  CustomerValueSchema,
  DashboardQuerySchema,
  DashboardSchema,
  SegmentListingSchema,
  GroupListSchema,
  GroupPreviewRequestSchema,
  GroupPreviewSchema,
  GroupRequestSchema,
  GroupSchema,
  IdParamsSchema,
  IdSchema,
  IssueCouponRequestSchema,
  MyCampaignListSchema,
  PutTierProgramRequestSchema,
  RecomputeRequestSchema,
  RecomputeResultSchema,
  RfmSettingsSchema,
  ScheduleCampaignRequestSchema,
  SegmentationSettingsSchema,
  SegmentCodeSchema,
  SegmentCustomersQuerySchema,
  SegmentMemberPageSchema,
  TierProgramSchema,
  TransitionPageSchema,
  TransitionsQuerySchema,
  UpdateRfmSettingsRequestSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCustomer } from '../customers/index.ts';
import {
  cancelCampaign,
  campaignResults,
  createCampaign,
  getCampaign,
  listCampaignMessages,
  listCampaigns,
  listFeedback,
  markOpened,
  myCampaigns,
  scheduleCampaign,
  submitFeedback,
} from './campaigns.ts';
import { issueCoupon, listCoupons } from './coupons.ts';
import { dashboard, listTransitions, segmentListing } from './dashboard.ts';
import {
  archiveGroup,
  createGroup,
  getGroup,
  groupCondition,
  listGroups,
  listMembers,
  previewGroup,
  updateGroup,
} from './groups.ts';
import { recomputeSegmentation } from './jobs.ts';
import { segmentationSettings, updateRfmSettings } from './settings.ts';
import { customerTier, putTierProgram, tierProgram } from './tiers.ts';
import { customerValue } from './value.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const secured = { security: [{ bearer: [] }] };
const tags = ['segmentation'];
const CustomerParamsSchema = z.object({ customerId: IdSchema });
const SegmentParamsSchema = z.object({ segment: SegmentCodeSchema });

/** Segmentation's routes: managers run it, staff read customer value and coupons, customers see their side. */
export function segmentationRoutes(now: () => Date): FastifyPluginAsyncZod {
  return async (app) => {
    // ── settings, tiers, recompute ─────────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/segmentation/settings',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'RFM rules and the tier ladder (manager)',
          ...secured,
          response: { 200: SegmentationSettingsSchema, ...errors },
        },
      },
      async (request) => ({
        rfm: (await segmentationSettings(app.db, request.staff.tenantId)).rfm,
        tiers: await tierProgram(app.db, request.staff.tenantId),
      }),
    );
    app.patch(
      '/staff/segmentation/settings/rfm',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Change the RFM window, scoring method (quintiles or thresholds) or 新客 period (manager)',
          ...secured,
          body: UpdateRfmSettingsRequestSchema,
          response: { 200: RfmSettingsSchema, ...errors },
        },
      },
      async (request) => updateRfmSettings(app.db, request.staff.tenantId, request.staff.id, request.body),
    );
    app.get(
      '/staff/segmentation/tiers',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'The tier ladder (会员等级)',
          ...secured,
          response: { 200: TierProgramSchema, ...errors },
        },
      },
      async (request) => tierProgram(app.db, request.staff.tenantId),
    );
    app.put(
      '/staff/segmentation/tiers',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary:
            'Replace the tier ladder: basis (spend or top-up), window, levels with discount and points multiplier (manager)',
          ...secured,
          body: PutTierProgramRequestSchema,
          response: { 200: TierProgramSchema, ...errors },
        },
      },
      async (request) => putTierProgram(app.db, request.staff.tenantId, request.staff.id, request.body),
    );
    app.post(
      '/staff/segmentation/recompute',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Recompute RFM segments, tiers and preferences now (manager); also runs nightly',
          ...secured,
          body: RecomputeRequestSchema,
          response: { 200: RecomputeResultSchema, ...errors },
        },
      },
      async (request) => recomputeSegmentation(app.db, request.staff.tenantId, request.body.parts, now()),
    );

    // ── dashboard, segments, transitions ───────────────────────────────────────────────────────────────────
    app.get(
      '/staff/segmentation/dashboard',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Segment sizes and spend share, transitions, tiers, top customers, stored-value liability (manager)',
          ...secured,
          querystring: DashboardQuerySchema,
          response: { 200: DashboardSchema, ...errors },
        },
      },
      async (request) => dashboard(app.db, request.staff.tenantId, request.query, now()),
    );
    app.get(
      '/staff/segmentation/segments',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Every segment with its rule in one sentence (Chinese), size and spend share (manager)',
          ...secured,
          response: { 200: SegmentListingSchema, ...errors },
        },
      },
      async (request) => segmentListing(app.db, request.staff.tenantId),
    );
    app.get(
      '/staff/segmentation/transitions',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Segment changes (e.g. 高价值 → 流失风险), listed and counted (manager)',
          ...secured,
          querystring: TransitionsQuerySchema,
          response: { 200: TransitionPageSchema, ...errors },
        },
      },
      async (request) => listTransitions(app.db, request.staff.tenantId, request.query),
    );
    app.get(
      '/staff/segmentation/segments/:segment/customers',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "A segment's customers (manager)",
          ...secured,
          params: SegmentParamsSchema,
          querystring: SegmentCustomersQuerySchema,
          response: { 200: SegmentMemberPageSchema, ...errors },
        },
      },
      async (request) =>
        listMembers(
          app.db,
          request.staff.tenantId,
          groupCondition({ segments: [request.params.segment] }, now()),
          now(),
          request.query,
        ),
    );

    // ── custom groups ──────────────────────────────────────────────────────────────────────────────────────
    app.post(
      '/staff/segmentation/groups/preview',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'How many customers a rule set matches, with a sample (manager)',
          ...secured,
          body: GroupPreviewRequestSchema,
          response: { 200: GroupPreviewSchema, ...errors },
        },
      },
      async (request) =>
        previewGroup(app.db, request.staff.tenantId, request.body.rules, now(), request.body.frequencyCap),
    );
    app.get(
      '/staff/segmentation/groups',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Saved custom groups (manager)',
          ...secured,
          response: { 200: GroupListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listGroups(app.db, request.staff.tenantId) }),
    );
    app.post(
      '/staff/segmentation/groups',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Save a custom group (its rules; members are evaluated live) (manager)',
          ...secured,
          body: GroupRequestSchema,
          response: { 201: GroupSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createGroup(app.db, request.staff.tenantId, request.staff.id, request.body)),
    );
    app.get(
      '/staff/segmentation/groups/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'One custom group (manager)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: GroupSchema, ...errors },
        },
      },
      async (request) => getGroup(app.db, request.staff.tenantId, request.params.id),
    );
    app.put(
      '/staff/segmentation/groups/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Change a custom group's name or rules (manager)",
          ...secured,
          params: IdParamsSchema,
          body: GroupRequestSchema,
          response: { 200: GroupSchema, ...errors },
        },
      },
      async (request) => updateGroup(app.db, request.staff.tenantId, request.staff.id, request.params.id, request.body),
    );
    app.delete(
      '/staff/segmentation/groups/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Archive a custom group (manager)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: AcknowledgedSchema, ...errors },
        },
      },
      async (request) => {
        await archiveGroup(app.db, request.staff.tenantId, request.staff.id, request.params.id);
        return { ok: true as const };
      },
    );
    app.get(
      '/staff/segmentation/groups/:id/customers',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "A custom group's customers, evaluated now (manager)",
          ...secured,
          params: IdParamsSchema,
          querystring: SegmentCustomersQuerySchema,
          response: { 200: SegmentMemberPageSchema, ...errors },
        },
      },
      async (request) => {
        const group = await getGroup(app.db, request.staff.tenantId, request.params.id);
        return listMembers(app.db, request.staff.tenantId, groupCondition(group.rules, now()), now(), request.query);
      },
    );

    // ── customer value, coupons (staff) ────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/customers/:customerId/value',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Customer value analysis: spend, cadence, favourites, balances, credit, churn risk, recommendations',
          ...secured,
          params: CustomerParamsSchema,
          response: { 200: CustomerValueSchema, ...errors },
        },
      },
      async (request) => customerValue(app.db, request.staff.tenantId, request.params.customerId, now()),
    );
    app.get(
      '/staff/customers/:customerId/coupons',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: "A customer's coupons",
          ...secured,
          params: CustomerParamsSchema,
          querystring: CouponListQuerySchema,
          response: { 200: CouponListSchema, ...errors },
        },
      },
      async (request) => {
        await getCustomer(app.db, request.staff.tenantId, request.params.customerId);
        return {
          items: await listCoupons(
            app.db,
            request.staff.tenantId,
            request.params.customerId,
            now(),
            request.query.status,
          ),
        };
      },
    );
    app.post(
      '/staff/customers/:customerId/coupons',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Issue a coupon to a customer's wallet, with a reason (manager)",
          ...secured,
          params: CustomerParamsSchema,
          body: IssueCouponRequestSchema,
          response: { 201: CouponSchema, ...errors },
        },
      },
      async (request, reply) => {
        await getCustomer(app.db, request.staff.tenantId, request.params.customerId);
        const coupon = await app.db.transaction((tx) =>
          issueCoupon(tx, {
            tenantId: request.staff.tenantId,
            customerId: request.params.customerId,
            offer: request.body.offer,
            now: now(),
            issuedBy: request.staff.id,
            reason: request.body.reason,
          }),
        );
        return reply.status(201).send(coupon);
      },
    );

    // ── campaigns (manager; feedback for all staff) ────────────────────────────────────────────────────────
    app.post(
      '/staff/segmentation/campaigns',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary:
            'Create a wake-up campaign (唤醒): audience, offer, messages, channels, schedule, quiet hours, cap, holdout (manager)',
          ...secured,
          body: CreateCampaignRequestSchema,
          response: { 201: CampaignSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createCampaign(app.db, request.staff.tenantId, request.staff.id, request.body, now())),
    );
    app.get(
      '/staff/segmentation/campaigns',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Campaigns, newest first (manager)',
          ...secured,
          response: { 200: CampaignListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listCampaigns(app.db, request.staff.tenantId) }),
    );
    app.get(
      '/staff/segmentation/campaigns/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'One campaign with its sending progress (manager)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: CampaignSchema, ...errors },
        },
      },
      async (request) => getCampaign(app.db, request.staff.tenantId, request.params.id),
    );
    app.post(
      '/staff/segmentation/campaigns/:id/schedule',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Schedule a campaign (now when no time is given); the send job starts it when due (manager)',
          ...secured,
          params: IdParamsSchema,
          body: ScheduleCampaignRequestSchema,
          response: { 200: CampaignSchema, ...errors },
        },
      },
      async (request) => {
        const at = now();
        return scheduleCampaign(
          app.db,
          request.staff.tenantId,
          request.staff.id,
          request.params.id,
          request.body.at ? new Date(request.body.at) : at,
          at,
        );
      },
    );
    app.post(
      '/staff/segmentation/campaigns/:id/cancel',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Stop a campaign; customers not reached yet are left alone (manager)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: CampaignSchema, ...errors },
        },
      },
      async (request) => cancelCampaign(app.db, request.staff.tenantId, request.staff.id, request.params.id),
    );
    app.get(
      '/staff/segmentation/campaigns/:id/results',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary:
            'Delivered, opened, coupons redeemed, returned, revenue — treated vs holdout, with the uplift (manager)',
          ...secured,
          params: IdParamsSchema,
          querystring: CampaignResultsQuerySchema,
          response: { 200: CampaignResultsSchema, ...errors },
        },
      },
      async (request) =>
        campaignResults(app.db, request.staff.tenantId, request.params.id, now(), request.query.returnWindowDays),
    );
    app.get(
      '/staff/segmentation/campaigns/:id/messages',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary:
            "Every message of a campaign with its status (sent, failed with the provider's error, skipped and why)",
          ...secured,
          params: IdParamsSchema,
          querystring: CampaignMessagesQuerySchema,
          response: { 200: CampaignMessagePageSchema, ...errors },
        },
      },
      async (request) => listCampaignMessages(app.db, request.staff.tenantId, request.params.id, request.query),
    );
    app.get(
      '/staff/segmentation/campaigns/:id/feedback',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Survey answers and consultation requests customers sent from a campaign',
          ...secured,
          params: IdParamsSchema,
          response: { 200: CampaignFeedbackListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listFeedback(app.db, request.staff.tenantId, request.params.id) }),
    );

    // ── the customer's side ────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/me/coupons',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My coupons (usable ones unless status=all)',
          ...secured,
          querystring: CouponListQuerySchema,
          response: { 200: CouponListSchema, ...errors },
        },
      },
      async (request) => ({
        items: await listCoupons(app.db, request.customer.tenantId, request.customer.id, now(), request.query.status),
      }),
    );
    app.get(
      '/me/tier',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My membership tier and its benefits',
          ...secured,
          response: { 200: CustomerTierSchema, ...errors },
        },
      },
      async (request) => customerTier(app.db, request.customer.tenantId, request.customer.id),
    );
    app.get(
      '/me/tier/ladder',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'The salon’s tier ladder, lowest first: what each tier gives and needs',
          ...secured,
          response: { 200: TierProgramSchema, ...errors },
        },
      },
      async (request) => tierProgram(app.db, request.customer.tenantId),
    );
    app.get(
      '/me/campaigns',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Campaign banners for me (with the coupon and survey)',
          ...secured,
          response: { 200: MyCampaignListSchema, ...errors },
        },
      },
      async (request) => ({ items: await myCampaigns(app.db, request.customer.tenantId, request.customer.id, now()) }),
    );
    app.post(
      '/me/campaigns/:id/opened',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'I opened the app from this campaign’s message',
          ...secured,
          params: IdParamsSchema,
          response: { 200: AcknowledgedSchema, ...errors },
        },
      },
      async (request) => markOpened(app.db, request.customer.tenantId, request.customer.id, request.params.id, now()),
    );
    app.post(
      '/me/campaigns/:id/feedback',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Answer the campaign survey, or ask for a consultation',
          ...secured,
          params: IdParamsSchema,
          body: CampaignFeedbackRequestSchema,
          response: { 201: z.object({ id: z.number().int() }), ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await submitFeedback(
              app.db,
              request.customer.tenantId,
              request.customer.id,
              request.params.id,
              request.body,
              now(),
            ),
          ),
    );
  };
}
