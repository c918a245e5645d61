import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useTheme } from '@lumi/mini';
import { useTabs } from './tab-state.ts';
import './tab-bar.scss';

/**
 * The app's tab bar (首页 · 商城 · 账单 · 我的), drawn by the app in both builds: WeChat's native bar cannot drop a
 * tab at run time, and Taro's H5 bar is a web component whose runtime was a sixth of the first download. The
 * selected tab and the icons take the salon's brand colour (`--brand`, set on the bar itself: a weapp custom tab
 * bar is outside every page's root).
 */
export function TabBar() {
  const { tabs, current } = useTabs();
  const theme = useTheme();
  return (
    <View className="lumi-tab-bar" style={theme?.style}>
      {tabs.map((tab) => {
        const on = tab.path === current;
        return (
          <View
            key={tab.path}
            className={on ? 'lumi-tab-bar__item lumi-tab-bar__item--on' : 'lumi-tab-bar__item'}
            onClick={() => {
              if (!on) void Taro.switchTab({ url: tab.path });
            }}
          >
            <View className={`lumi-tab-bar__icon lumi-tab-bar__icon--${tab.icon}`} />
            <Text className="lumi-tab-bar__label">{tab.text}</Text>
          </View>
        );
      })}
    </View>
  );
}
