import path from 'node:path';
import { createTaroConfig } from '@lumi/mini/taro-config';

// Everything but the app's name and dev port is shared with the other mini-program (packages/mini).
export default createTaroConfig({
  appRoot: path.resolve(__dirname, '..'),
  projectName: 'lumi-staff',
  h5Port: 10087,
});
