/** Check digits for identifiers the redactor recognises. Pure functions over ASCII strings. */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

/** GB 11643-1999 resident identity number (身份证): 17 digits + ISO 7064 MOD 11-2 check character. */
export function isValidIdCard(id: string): boolean {
  if (id.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * (ID_WEIGHTS[i] as number);
  }
  return ID_CHECK[sum % 11] === id[17]?.toUpperCase();
}

/** Luhn (mod 10) as used by bank cards, UnionPay included. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * ISO 3779 / GB 16735 check digit (position 9). Mandatory in North America and in GB 16735 for
 * Chinese-built vehicles, but imported (e.g. European) VINs often carry no valid one.
 */
export function vinCheckDigitValid(vin: string): boolean {
  if (vin.length !== 17) return false;
  const v = vin.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = v[i] as string;
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : VIN_VALUES[ch];
    if (value === undefined) return false;
    sum += value * (VIN_WEIGHTS[i] as number);
  }
  const r = sum % 11;
  return v[8] === (r === 10 ? 'X' : String(r));
}
