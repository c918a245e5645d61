import path from 'node:path';
import { createTaroConfig } from '@lumi/mini/taro-config';

// Everything but the app's name, dev port, early requests, H5 renderer, H5 components and tab bar is shared with the other
// mini-program (packages/mini).
export default createTaroConfig({
  appRoot: path.resolve(__dirname, '..'),
  projectName: 'lumi-customer',
  h5Port: 10086,
  earlyRequests: path.resolve(__dirname, '../src/early-requests.js'),
  preactOnH5: true,
  htmlComponentsOnH5: true,
  customTabBarOnH5: true,
});
