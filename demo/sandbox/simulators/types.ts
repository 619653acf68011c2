/**
 * What each gateway simulator provides. A simulator is the gateway's side only: it checks the
 * merchant's signature, answers as the gateway documents, hosts the pages a shopper is sent to and
 * sends the signed notify. It keeps its own state and knows the merchant only over HTTP.
 */
import type { Router } from '../http.js';
import type { ScenarioBoard } from './board.js';

export interface Scenario {
  id: string;
  label: string;
  /** What the browser gets: the NextAction kind the gallery expects. */
  expect: string;
}

export interface Simulator {
  id: string;
  label: string;
  /** Method ids the gallery offers for this gateway. */
  methods: readonly string[];
  scenarios: readonly Scenario[];
  /** The simulated gateway's routes, all under `/gw/<id>/`. */
  routes(router: Router, board: ScenarioBoard): void;
  /**
   * The shopper answered WeChat's payment sheet (the gallery's simulated WeixinJSBridge): settle the
   * payment those JSAPI parameters belong to, as WeChat would, by sending the notify.
   */
  confirmWechat?(params: Record<string, string>, outcome: 'ok' | 'cancel' | 'fail', origin: string): Promise<void>;
  /** The app's SDK finished with this token (the gallery's simulated native bridge). */
  confirmApp?(token: unknown, outcome: string, origin: string): Promise<void>;
}
