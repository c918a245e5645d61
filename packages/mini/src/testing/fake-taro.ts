import { useEffect, useRef } from 'react';
import { vi } from 'vitest';

/**
 * A stand-in for `@tarojs/taro` in unit and page tests (the vitest preset aliases it). Storage is an
 * in-memory map, navigation and toasts are spies, and `request` hands every call to the fake server the
 * test installs with `setFakeServer`, so the real request wrapper runs unchanged.
 */

export interface FakeRequest {
  method: string;
  url: string;
  data: unknown;
  headers: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
}

export type FakeServer = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

const storage = new Map<string, unknown>();
let server: FakeServer = (req) => {
  throw new Error(`No fake server installed for ${req.method} ${req.url}`);
};
/** `options` is the page's query, as WeChat keeps it on the page object (what useRouter().params reads). */
let pages: { route: string; options: Record<string, string> }[] = [];

function pageAt(url: string): { route: string; options: Record<string, string> } {
  const [route = '', query = ''] = url.replace(/^\//, '').split('?');
  return { route, options: Object.fromEntries(new URLSearchParams(query)) };
}

const clone = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

async function fakeRequest(options: { url: string; method?: string; data?: unknown; header?: Record<string, string> }) {
  const response = await server({
    method: options.method ?? 'GET',
    url: options.url,
    data: clone(options.data),
    headers: { ...options.header },
  });
  return { statusCode: response.status, data: clone(response.body ?? null), header: {}, errMsg: 'request:ok' };
}

/**
 * wx.uploadFile handed to the fake server like a request: `data` is `{ file: { filePath, name } }`, and the answer
 * comes back as text, as WeChat gives it.
 */
async function fakeUpload(options: { url: string; filePath: string; name: string; header?: Record<string, string> }) {
  const response = await server({
    method: 'POST',
    url: options.url,
    data: { file: { filePath: options.filePath, name: options.name } },
    headers: { ...options.header },
  });
  return { statusCode: response.status, data: JSON.stringify(response.body ?? null), errMsg: 'uploadFile:ok' };
}

/** wx.chooseImage: one compressed photo of 20 KB; tests say otherwise (a cancel, a big one) with mockResolvedValueOnce. */
async function photoChosen(_options?: unknown) {
  const path = 'wxfile://tmp/photo.jpg';
  return { tempFilePaths: [path], tempFiles: [{ path, size: 20_000 }], errMsg: 'chooseImage:ok' };
}

/** wx.requestSubscribeMessage as if the user ticked every template. */
async function acceptAll(options: { tmplIds: string[] }): Promise<Record<string, string>> {
  return Object.fromEntries([...options.tmplIds.map((id) => [id, 'accept']), ['errMsg', 'requestSubscribeMessage:ok']]);
}

function coldStartFromHome(): { path: string; query: Record<string, string>; scene: number } {
  return { path: 'pages/home/index', query: {}, scene: 1001 };
}

async function nothingScanned(_options?: unknown) {
  return { result: '', scanType: 'QR_CODE', charSet: 'utf-8', errMsg: 'scanCode:ok' };
}

/** wx.downloadFile that fetched the file; tests say otherwise (a 401, a failure) with mockResolvedValueOnce. */
async function downloaded(_options: { url: string; header?: Record<string, string> }) {
  return { statusCode: 200, tempFilePath: 'wxfile://tmp/downloaded', errMsg: 'downloadFile:ok' };
}

function navigation(name: string) {
  return vi.fn(async (options: { url: string }) => {
    pages = [...pages, pageAt(options.url)];
    return { errMsg: `${name}:ok` };
  });
}

export const fakeTaro = {
  request: vi.fn(fakeRequest),
  uploadFile: vi.fn(fakeUpload),
  chooseImage: vi.fn(photoChosen),
  getStorageSync: vi.fn((key: string): unknown => (storage.has(key) ? clone(storage.get(key)) : '')),
  setStorageSync: vi.fn((key: string, value: unknown) => {
    storage.set(key, clone(value));
  }),
  removeStorageSync: vi.fn((key: string) => {
    storage.delete(key);
  }),
  showToast: vi.fn(async (_options: { title: string; icon?: string; duration?: number }) => ({
    errMsg: 'showToast:ok',
  })),
  reLaunch: navigation('reLaunch'),
  redirectTo: navigation('redirectTo'),
  navigateTo: navigation('navigateTo'),
  switchTab: navigation('switchTab'),
  /** A confirmation dialog the user accepts. */
  showModal: vi.fn(async (_options: { title: string; content?: string }) => ({ confirm: true, cancel: false })),
  setTabBarStyle: vi.fn(async (_options: { selectedColor?: string }) => ({ errMsg: 'setTabBarStyle:ok' })),
  navigateBack: vi.fn(async () => ({ errMsg: 'navigateBack:ok' })),
  getCurrentPages: vi.fn(() => pages),
  /** How the mini-program was launched; tests set a cold start from a 小程序码 with mockReturnValueOnce. */
  getLaunchOptionsSync: vi.fn(coldStartFromHome),
  login: vi.fn(async () => ({ code: 'wx-login-code', errMsg: 'login:ok' })),
  requestPayment: vi.fn(async (_params: unknown) => ({ errMsg: 'requestPayment:ok' })),
  requestSubscribeMessage: vi.fn(acceptAll),
  /** wx.scanCode: tests say what the camera saw with mockResolvedValueOnce (or a rejection for a closed camera). */
  scanCode: vi.fn(nothingScanned),
  downloadFile: vi.fn(downloaded),
  /** wx.shareFileMessage: WeChat's 发送给朋友 sheet for a downloaded file, as if she sent it. */
  shareFileMessage: vi.fn(async (_options: { filePath: string; fileName?: string }) => ({
    errMsg: 'shareFileMessage:ok',
  })),
  setNavigationBarTitle: vi.fn(async (_options: { title: string }) => ({ errMsg: 'setNavigationBarTitle:ok' })),
  setNavigationBarColor: vi.fn(async (_options: { frontColor: string; backgroundColor: string }) => ({
    errMsg: 'setNavigationBarColor:ok',
  })),
  chooseAddress: vi.fn(async () => ({
    userName: '林小雅',
    telNumber: '13800000000',
    provinceName: '北京市',
    cityName: '北京市',
    countyName: '朝阳区',
    detailInfo: '建国门外大街 1 号',
    errMsg: 'chooseAddress:ok',
  })),
};

export function setFakeServer(next: FakeServer): void {
  server = next;
}

/** The page stack as Taro.getCurrentPages() reports it, e.g. ['pages/login/index', 'checkout/bill/index?id=1']. */
export function setCurrentPages(routes: string[]): void {
  pages = routes.map(pageAt);
}

export function fakeStorage(): Map<string, unknown> {
  return storage;
}

/** Called before every test by the preset's setup file. */
export function resetFakeTaro(): void {
  storage.clear();
  pages = [];
  server = (req) => {
    throw new Error(`No fake server installed for ${req.method} ${req.url}`);
  };
  for (const fn of Object.values(fakeTaro)) fn.mockClear();
  fakeTaro.request.mockImplementation(fakeRequest);
  fakeTaro.uploadFile.mockImplementation(fakeUpload);
  fakeTaro.chooseImage.mockReset();
  fakeTaro.chooseImage.mockImplementation(photoChosen);
  fakeTaro.scanCode.mockReset();
  fakeTaro.getLaunchOptionsSync.mockReset();
  fakeTaro.getLaunchOptionsSync.mockImplementation(coldStartFromHome);
  fakeTaro.scanCode.mockImplementation(nothingScanned);
  fakeTaro.downloadFile.mockReset();
  fakeTaro.downloadFile.mockImplementation(downloaded);
  fakeTaro.login.mockImplementation(async () => ({ code: 'wx-login-code', errMsg: 'login:ok' }));
  fakeTaro.requestPayment.mockImplementation(async () => ({ errMsg: 'requestPayment:ok' }));
  fakeTaro.requestSubscribeMessage.mockImplementation(acceptAll);
  fakeTaro.showModal.mockImplementation(async () => ({ confirm: true, cancel: false }));
}

// Page lifecycle hooks: in a test a page is "loaded" and "shown" when it mounts.
const onMount = (fn: (options?: unknown) => void) => {
  useEffect(() => {
    fn({});
  }, []);
};
export const useLoad = onMount;
export const useLaunch = onMount;

// useDidShow also runs when a test calls showPagesAgain(), as if the user came back from another page.
const showHandlers = new Set<() => void>();
export const useDidShow = (fn: (options?: unknown) => void) => {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    const handler = () => latest.current({});
    showHandlers.add(handler);
    handler();
    return () => {
      showHandlers.delete(handler);
    };
  }, []);
};

/** Fires useDidShow of every mounted page again (wrap in act()). */
export function showPagesAgain(): void {
  for (const handler of [...showHandlers]) handler();
}
export const useReady = onMount;
export const useDidHide = (_fn: () => void) => undefined;
export const useUnload = (fn: () => void) => useEffect(() => fn, [fn]);
export const useRouter = () => {
  const page = pages[pages.length - 1];
  return { params: page?.options ?? {}, path: page?.route ?? '' };
};

export default fakeTaro;
