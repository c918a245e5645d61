import Taro from '@tarojs/taro';
import { ApiError, getMiniConfig, readSession, request, userMessage } from '@lumi/mini';

export type StatementFormat = 'csv' | 'html';

/** The statement's address; the API answers it only with her bearer token. */
function statementUrl(from: string, to: string, format: StatementFormat): string {
  const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=${format}`;
  return `${getMiniConfig().apiBase}/me/statement?${query}`;
}

/** A cheap authenticated call first, so an expired access token is refreshed by the one request wrapper. */
async function freshToken(): Promise<string> {
  await request('/me', { toast: false });
  const token = readSession()?.accessToken;
  if (!token) throw new ApiError('LOGIN_REQUIRED', userMessage('LOGIN_REQUIRED'), 401);
  return token;
}

/**
 * Opens or saves the statement in the way each build allows. H5: the printable page opens in a new tab (the
 * browser prints it), the CSV downloads. WeChat: the CSV is downloaded and handed to 发送给朋友/文件传输助手
 * (shareFileMessage), WeChat's way of keeping a file; a mini-program cannot show an HTML page it fetched.
 */
export async function deliverStatement(from: string, to: string, format: StatementFormat): Promise<void> {
  const token = await freshToken();
  const url = statementUrl(from, to, format);
  const fileName = `对账单-${from}-${to}.${format}`;
  if (process.env.TARO_ENV === 'h5') {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok)
      throw new ApiError('BAD_RESPONSE', userMessage('BAD_RESPONSE', undefined, response.status), response.status);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    if (format === 'csv') link.download = fileName;
    else link.target = '_blank';
    link.click();
    return;
  }
  const downloaded = await Taro.downloadFile({ url, header: { Authorization: `Bearer ${token}` } });
  if (downloaded.statusCode !== 200)
    throw new ApiError('BAD_RESPONSE', userMessage('BAD_RESPONSE'), downloaded.statusCode);
  await Taro.shareFileMessage({ filePath: downloaded.tempFilePath, fileName });
}
