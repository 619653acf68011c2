import { expect } from '@open-wc/testing';
import { currencyDigits, formatMinor, toDecimalString } from '../../../src/core/money.js';

describe('money', () => {
  it('knows ISO 4217 minor digits', () => {
    expect([currencyDigits('CNY'), currencyDigits('JPY'), currencyDigits('KWD')]).to.deep.equal([2, 0, 3]);
  });

  it('moves the decimal point without float arithmetic', () => {
    expect(toDecimalString('9900', 'CNY')).to.equal('99.00');
    expect(toDecimalString(5, 'CNY')).to.equal('0.05');
    expect(toDecimalString('29', 'CNY')).to.equal('0.29');
    expect(toDecimalString('1005', 'KWD')).to.equal('1.005');
    expect(toDecimalString('1234', 'JPY')).to.equal('1234');
    // Beyond 2^53: a float would round this.
    expect(toDecimalString('900719925474099317', 'USD')).to.equal('9007199254740993.17');
  });

  it('formats for the locale, and refuses what is not minor units', () => {
    expect(formatMinor('9900', 'CNY', 'zh-CN')).to.equal('¥99.00');
    expect(formatMinor('100', 'EUR', 'es')).to.equal('1,00\u00a0€');
    expect(formatMinor('900719925474099317', 'USD', 'en')).to.equal('$9,007,199,254,740,993.17');
    expect(formatMinor('99.00', 'CNY', 'en')).to.equal(undefined);
    expect(formatMinor(1.5, 'CNY', 'en')).to.equal(undefined);
    expect(formatMinor('100', 'yuan', 'en')).to.equal(undefined);
  });
});
