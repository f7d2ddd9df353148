import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidIdCard, luhnValid, vinCheckDigitValid } from './checksums.js';
import { PLACEHOLDERS, redactText } from './redact.js';

/** Completes 17 digits with the GB 11643 check character. */
function idWithCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (w[i] as number);
  return first17 + ('10X98765432'[sum % 11] as string);
}

/** Completes a number with its Luhn check digit. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + String(d))) return body + String(d);
  throw new Error('unreachable');
}

describe('checksums', () => {
  it('validates 身份证 check characters', () => {
    expect(isValidIdCard('11010519491231002X')).toBe(true);
    expect(isValidIdCard('110105194912310021')).toBe(false);
  });
  it('validates Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('validates the VIN check digit', () => {
    expect(vinCheckDigitValid('1M8GDM9AXKP042788')).toBe(true);
    expect(vinCheckDigitValid('1M8GDM9A1KP042788')).toBe(false);
  });
});

describe('redactText', () => {
  const cases: [string, string, Record<string, number>][] = [
    ['电话13812345678', `电话${PLACEHOLDERS.mobile}`, { mobile: 1 }],
    ['+86 138 1234 5678', PLACEHOLDERS.mobile, { mobile: 1 }],
    ['0086-138-1234-5678找张先生', `${PLACEHOLDERS.mobile}找${PLACEHOLDERS.person_name}`, { mobile: 1, person_name: 1 }],
    ['座机010-12345678', `座机${PLACEHOLDERS.landline}`, { landline: 1 }],
    ['(0755)87654321', PLACEHOLDERS.landline, { landline: 1 }],
    ['打02188889999', `打${PLACEHOLDERS.landline}`, { landline: 1 }],
    ['电话 021 1234 5678', `电话 ${PLACEHOLDERS.landline}`, { landline: 1 }],
    ['身份证110105 19491231 002X', `身份证${PLACEHOLDERS.id_card}`, { id_card: 1 }],
    ['身份证11010519491231002X', `身份证${PLACEHOLDERS.id_card}`, { id_card: 1 }],
    ['车架号LSVAU2180N2123456', `车架号${PLACEHOLDERS.vin}`, { vin: 1 }],
    ['VIN 1M8GDM9AXKP042788', `VIN ${PLACEHOLDERS.vin}`, { vin: 1 }],
    ['粤B12345车主，京AD12345新能源', `${PLACEHOLDERS.plate}车主，${PLACEHOLDERS.plate}新能源`, { plate: 2 }],
    ['邮箱 foo.bar@example.com', `邮箱 ${PLACEHOLDERS.email}`, { email: 1 }],
    ['加微信 abc_123456 或QQ:12345678', `加微信 ${PLACEHOLDERS.wechat} 或QQ:${PLACEHOLDERS.qq}`, { wechat: 1, qq: 1 }],
    ['vx：zhang2024', `vx：${PLACEHOLDERS.wechat}`, { wechat: 1 }],
    ['李女士和王师傅', `${PLACEHOLDERS.person_name}和${PLACEHOLDERS.person_name}`, { person_name: 2 }],
    ['卡号4111 1111 1111 1111', `卡号${PLACEHOLDERS.bank_card}`, { bank_card: 1 }],
  ];
  it.each(cases)('%s', (input, text, counts) => {
    expect(redactText(input)).toEqual({ text, counts });
  });

  const survivors = [
    '价格15.98万，落地17万',
    'Model 3和ES6，2.0T还是1.5T',
    '零件号06H103495AK，机油滤芯',
    '开了3万公里，油耗7.5L/100km，2019款',
    '修车师傅和老师傅都说没问题',
    '微信反应慢，carplay连不上',
    '新ATS-L和新A4L',
    '客服热线4008208820',
    '订单号 20230512123456',
    '卡号4111111111111112',
  ];
  it.each(survivors)('keeps %s', (input) => {
    expect(redactText(input)).toEqual({ text: input, counts: {} });
  });

  const cjk = fc.string({ unit: fc.constantFrom(...'车机油耗动力很好差的了，。我们在店里说话') });
  const mobile = fc
    .tuple(fc.constantFrom('13', '15', '18', '19'), fc.stringMatching(/^\d{9}$/), fc.constantFrom('', '-', ' '))
    .map(([p, rest, sep]) => `${p}${rest.slice(0, 1)}${sep}${rest.slice(1, 5)}${sep}${rest.slice(5)}`);
  const idCard = fc
    .tuple(fc.integer({ min: 110000, max: 659999 }), fc.date({ min: new Date('1940-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
    .map(([area, d, seq]) => idWithCheck(`${area}${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`));
  const bankCard = fc.stringMatching(/^62\d{14}$/).map((s) => withLuhn(s.slice(0, 15)));

  it('never throws on random text and never leaves an inserted phone, id or card behind', () => {
    fc.assert(
      fc.property(cjk, fc.oneof(mobile, idCard, bankCard), cjk, (a, pii, b) => {
        const { text } = redactText(`${a}${pii}${b}`);
        expect(text).not.toContain(pii);
        expect(text.replace(/〔[^〕]*〕/g, '')).not.toMatch(/\d{7}/);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary strings, and redaction is stable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) => {
        const once = redactText(s).text;
        expect(redactText(once).text).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
