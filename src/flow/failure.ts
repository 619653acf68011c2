/**
 * What kind of failure a gateway's or the backend's verdict is, so the shopper reads one calm,
 * localized sentence for it and the gateway's own words stay a secondary detail. Pure.
 */

export const FAILURE_REASONS = [
  'declined',
  'insufficient_funds',
  'limit_exceeded',
  'expired',
  'method_unavailable',
  /** The merchant's setup is wrong (a bad key, a wrong endpoint): no retry can work. */
  'merchant_config',
  'canceled',
  'unknown',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * Patterns over `code` and `message` together, most specific first. The codes are the gateways'
 * own: Ping++'s error `type`s and channel codes (https://www.pingxx.com/api#errors), Alipay+'s
 * `resultCode`s (`USER_BALANCE_NOT_ENOUGH`, `ORDER_IS_CLOSED`, `INVALID_API`, …), epay's and
 * CareyShop's messages, which are Chinese sentences.
 */
const RULES: readonly (readonly [FailureReason, RegExp])[] = [
  [
    'merchant_config',
    /invalid[ _]?api|api[ _]?key|authenticat|unauthori[sz]ed|access[ _]denied|no[ _]?permission|permission[ _]denied|invalid[ _]?(signature|sign|merchant|partner|client)|sign(ature)?[ _]?(error|fail|invalid|mismatch)|merchant[ _]?(not|config|invalid)|商户.*(不存在|未开通|配置|错误|无效)|签名(错误|失败|校验)|密钥|appid.*(错误|无效|不存在)/i,
  ],
  ['insufficient_funds', /balance|insufficient|not[ _]?enough|余额不足|餘額不足|资金不足/i],
  ['limit_exceeded', /limit|exceed|maximum|minimum|too[ _]?(large|much|small)|最大|最小|限额|限額|超过|超過|超出/i],
  ['expired', /expire|timeout|timed[ _]?out|closed|过期|過期|超时|超時|已关闭|已關閉/i],
  [
    'method_unavailable',
    /not[ _]?support|unsupported|unavailable|not[ _]?open|not[ _]?enabled|disabled|不支持|不支援|未开通|未開通|暂停|暫停|维护|維護|不可用/i,
  ],
  ['canceled', /cancel|取消/i],
  ['declined', /declin|reject|refuse|denied|risk|fraud|拒绝|拒絕|风控|風控/i],
];

/** The kind of failure for a verdict: `canceled` from a canceled status, else from its words. */
export function failureReason(code: string, message?: string, status?: string): FailureReason {
  if (status === 'canceled') return 'canceled';
  if (status === 'expired') return 'expired';
  const text = `${code} ${message ?? ''}`;
  for (const [reason, pattern] of RULES) if (pattern.test(text)) return reason;
  return 'unknown';
}

/**
 * Whether paying again with the same method can work after a failure of this kind: not where the
 * method or the merchant's setup is at fault, nor where the same amount would meet the same limit
 * or the same balance.
 */
export function canTryAgain(reason: FailureReason): boolean {
  return (
    reason !== 'merchant_config' &&
    reason !== 'method_unavailable' &&
    reason !== 'limit_exceeded' &&
    reason !== 'insufficient_funds'
  );
}

/** The kinds the shopper is told: a setup error is told as the method being unavailable. */
export type ToldReason = Exclude<FailureReason, 'merchant_config'>;

/**
 * What the shopper reads for a failure: the kind its sentence is for, and the gateway's words as a
 * secondary detail, except after a setup error, whose words can hold a key or an endpoint.
 */
export function toldFailure(reason: FailureReason, message?: string): { reason: ToldReason; detail?: string } {
  if (reason === 'merchant_config') return { reason: 'method_unavailable' };
  return { reason, ...(message ? { detail: message } : {}) };
}

/**
 * A backend answer that no retry can change: the endpoint is wrong (404, 405), the page may not
 * call it (401, 403), or what the page sends is refused (400, 422). 408 and 429 pass with time.
 */
export function isConfigurationStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429 && status !== 409;
}
