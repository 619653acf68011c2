import { clock } from './intl.js';
import type { Messages } from './messages.js';
import { zhTW } from './zh-TW.js';

/** Hong Kong: Traditional Chinese as in Taiwan, with Hong Kong's own words where they differ (二維碼, 網絡, 你). */
export const zhHK: Messages = {
  ...zhTW,
  scanWith: (method) => `請用${method}掃描付款`,
  scanGeneric: '請用付款應用程式掃描',
  longPressGeneric: '長按識別二維碼付款',
  qrLabel: '付款二維碼',
  stillChecking: '網絡不穩定。你的付款不會遺失，仍在查詢…',
  paid: '付款成功，多謝！',
  expired: '付款二維碼已過期。',
  error: '出現問題。訂單已保留，你可以重試。',
  refresh: '重新產生二維碼',
  copyFailed: '未能複製',
  expiresIn: (minutes, seconds) => `${clock('zh-HK', minutes, seconds)} 後過期`,
  qrExpired: '二維碼已過期',
  notSupportedHere: '此付款方式未能在目前頁面完成。',
  expiresInSpoken: (minutes, seconds) =>
    `二維碼將於${minutes > 0 ? `${minutes}分鐘` : ''}${seconds > 0 || minutes === 0 ? `${seconds}秒` : ''}後過期`,
  scanOnPhone: (app) => `請用手機上的${app}掃描此二維碼付款`,
  scanOnPhoneGeneric: '請用手機上的付款應用程式掃描此二維碼',
  appNotOpened: '應用程式未能開啟。請用已安裝該應用程式的手機掃描此二維碼，或安裝後再試。',
  miniProgramLinkInWechat: '微信內的網頁無法直接開啟小程式連結。請長按識別二維碼，或用另一部手機的微信掃描。',
  openInWechat: '此付款需在微信內完成。請用微信掃描此二維碼，在微信中開啟本頁面。',
  canceledKept: '付款已取消。訂單已保留，請選擇付款方式再試。',
  openInBrowserWhy: '此付款頁面未能在微信內開啟。',
  openInBrowserIos: '按右上角 ⋯，選擇「在 Safari 中開啟」。',
  openInBrowserAndroid: '按右上角 ⋯，選擇「在瀏覽器開啟」。',
};
