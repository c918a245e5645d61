declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5' | string;
    TARO_APP_API?: string;
    TARO_APP_WECHAT_SIM?: string;
    TARO_APP_ID?: string;
    TARO_APP_TENANT?: string;
    TARO_APP_DEMO_OPENID?: string;
  }
}
