/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5';
    /** Appid; Taro also writes it into dist/weapp/project.config.json. */
    TARO_APP_ID: string;
    /** Lumi API base URL, no trailing slash. */
    TARO_APP_API: string;
    /** Loopback WeChat simulator (H5 only: login codes, payments). */
    TARO_APP_WECHAT_SIM: string;
    /** Tenant slug (unused by the staff app, kept empty). */
    TARO_APP_TENANT: string;
    /** openid the H5 simulator login uses by default. */
    TARO_APP_DEMO_OPENID: string;
  }
}
