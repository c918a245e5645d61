import { parseYuan } from '@lumi/shared';
import { expectText, type MobilePage } from './browser.ts';

/** "¥1,234.50" as shown on the page → 123450 fen, through the same parser the apps use. */
export function fenOf(text: string | null): number {
  const plain = (text ?? '').trim().replace(/^¥/, '').replaceAll(',', '');
  return parseYuan(plain);
}

/** From the login page the home page sent a new visitor to, in as 林小雅 (the simulator's demo openid). */
export async function logInAsDemoCustomer(mobile: MobilePage): Promise<void> {
  await expectText(mobile, '微信一键登录（模拟）');
  await mobile.page.getByText('微信一键登录（模拟）', { exact: true }).click();
  await expectText(mobile, '您好，林小雅');
}
