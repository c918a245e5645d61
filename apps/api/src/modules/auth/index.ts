export { authRoutes } from './routes.ts';
export type { AuthDeps } from './service.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { createWechatLoginClient, type WechatLoginClient } from './wechat-login-client.ts';
export { refreshTokens } from './tables.ts';
