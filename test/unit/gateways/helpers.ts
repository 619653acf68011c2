import { expect } from '@open-wc/testing';
import { type CheckoutErrorCode, isCheckoutError } from '../../../src/core/errors.js';

/** Runs `run` and asserts it throws a CheckoutError with exactly this code; returns the error. */
export function expectRefused(run: () => unknown, code: CheckoutErrorCode): Error {
  let thrown: unknown;
  try {
    const value = run();
    expect.fail(`expected ${code}, got ${JSON.stringify(value)}`);
  } catch (error) {
    thrown = error;
  }
  if (!isCheckoutError(thrown)) throw thrown;
  expect(thrown.code, thrown.message).to.equal(code);
  return thrown;
}
