import { errorResponses } from '../../plugins/openapi.ts';
import {
  MessageTextParamsSchema,
  MessageTextSchema,
  UpdateMessageTextRequestSchema,
  MarkMessagesReadRequestSchema,
  MessagingSettingsSchema,
  MyConsentsSchema,
  MyMessageListSchema,
  SubscribeConsentRequestSchema,
  SubscribeConsentSchema,
  SubscribeTemplateSchema,
  type TemplatePurpose,
  UpdateMessagingSettingsRequestSchema,
  WithdrawConsentRequestSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listConsents, recordConsent } from './consents.ts';
import { listInbox, markRead, myConsents, withdrawConsent } from './inbox.ts';
import type { MessagingDeps } from './outbound.ts';
import { messagingSettings, updateMessagingSettings } from './settings.ts';
import { listMessageTexts, setMessageText } from './texts.ts';

const errors = errorResponses(400, 401, 403, 404);
const secured = { security: [{ bearer: [] }] };
const tags = ['messaging'];

export function messagingRoutes(deps: Pick<MessagingDeps, 'now' | 'templates'>): FastifyPluginAsyncZod {
  return async (app) => {
    // ── the customer's one-time consents ──────────────────────────────────────────────────────────────────
    app.get(
      '/me/subscriptions/templates',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Subscribe-message templates by purpose: the ids to pass to wx.requestSubscribeMessage',
          ...secured,
          response: { 200: z.array(SubscribeTemplateSchema), ...errors },
        },
      },
      async () =>
        Object.entries(deps.templates).map(([purpose, templateId]) => ({
          purpose: purpose as TemplatePurpose,
          templateId,
        })),
    );
    app.post(
      '/me/subscriptions',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Record a one-time subscribe-message consent (call after wx.requestSubscribeMessage accepted it)',
          ...secured,
          body: SubscribeConsentRequestSchema,
          response: { 201: SubscribeConsentSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await recordConsent(
              app.db,
              request.customer.tenantId,
              request.customer.id,
              request.body.templateId,
              deps.now(),
            ),
          ),
    );
    app.get(
      '/me/subscriptions',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My unused one-time subscribe-message consents per template',
          ...secured,
          response: { 200: z.array(SubscribeConsentSchema), ...errors },
        },
      },
      async (request) => listConsents(app.db, request.customer.tenantId, request.customer.id),
    );

    app.get(
      '/me/consents',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'What I agreed to: marketing, SMS, and my unused one-time subscribe consents',
          ...secured,
          response: { 200: MyConsentsSchema, ...errors },
        },
      },
      async (request) => myConsents(app.db, request.customer.tenantId, request.customer.id),
    );
    app.post(
      '/me/consents/withdrawal',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Withdraw a consent (marketing, SMS, or every unused subscribe consent)',
          ...secured,
          body: WithdrawConsentRequestSchema,
          response: { 200: MyConsentsSchema, ...errors },
        },
      },
      async (request) =>
        withdrawConsent(app.db, request.customer.tenantId, request.customer.id, request.body.consent, deps.now()),
    );

    // ── the customer's inbox (消息) ────────────────────────────────────────────────────────────────────────
    app.get(
      '/me/messages',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My notices (bill events, credit reminders, tier changes), newest first, with read state',
          ...secured,
          response: { 200: MyMessageListSchema, ...errors },
        },
      },
      async (request) => listInbox(app.db, request.customer.tenantId, request.customer.id),
    );
    app.post(
      '/me/messages/read',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Mark my notices read (ids that are not mine are ignored)',
          ...secured,
          body: MarkMessagesReadRequestSchema,
          response: { 200: MyMessageListSchema, ...errors },
        },
      },
      async (request) => markRead(app.db, request.customer.tenantId, request.customer.id, request.body.ids, deps.now()),
    );

    // ── settings ──────────────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/messaging/settings',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "The tenant's customer-message settings: muted bill events, SMS fallback",
          ...secured,
          response: { 200: MessagingSettingsSchema, ...errors },
        },
      },
      async (request) => messagingSettings(app.db, request.staff.tenantId),
    );
    app.put(
      '/staff/messaging/settings',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Change the tenant's customer-message settings (manager, audited)",
          ...secured,
          body: UpdateMessagingSettingsRequestSchema,
          response: { 200: MessagingSettingsSchema, ...errors },
        },
      },
      async (request) => updateMessagingSettings(app.db, request.staff.tenantId, request.staff.id, request.body),
    );

    // ── 消息模板: the words the salon sends ────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/settings/message-texts',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "The salon's message texts per purpose, with defaults, placeholders and a preview (manager)",
          ...secured,
          response: { 200: z.array(MessageTextSchema), ...errors },
        },
      },
      async (request) => listMessageTexts(app.db, request.staff.tenantId),
    );
    const who = (staff: { tenantId: string; id: string }) => ({ tenantId: staff.tenantId, staffId: staff.id });
    app.put(
      '/staff/settings/message-texts/:purpose',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Change the words of one purpose; only its placeholders are allowed (manager, audited)',
          ...secured,
          params: MessageTextParamsSchema,
          body: UpdateMessageTextRequestSchema,
          response: { 200: MessageTextSchema, ...errors },
        },
      },
      async (request) => setMessageText(app.db, who(request.staff), request.params.purpose, request.body.text),
    );
    app.post(
      '/staff/settings/message-texts/:purpose/reset',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Go back to the default words of one purpose (manager, audited)',
          ...secured,
          params: MessageTextParamsSchema,
          response: { 200: MessageTextSchema, ...errors },
        },
      },
      async (request) => setMessageText(app.db, who(request.staff), request.params.purpose, null),
    );
  };
}
