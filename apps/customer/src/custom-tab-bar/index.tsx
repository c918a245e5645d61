import { TabBar } from '../tab-bar/tab-bar.tsx';

// WeChat's custom tab bar (app.config.ts `tabBar.custom`): Taro compiles this folder as the component WeChat puts
// under each tab page. The H5 build mounts the same bar itself (tab-bar/h5.tsx).
export default TabBar;
