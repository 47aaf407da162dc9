/**
 * The compiled phone validator against libphonenumber-js's own `isValid()`, on numbers it did not choose: every
 * digit string of random length in each region, national and international. A change in the library's metadata
 * or accessors shows here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { validPhone } from "../../src/discovery/phone.js";

/** A seeded generator, so that a failure can be replayed. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe("phone validation compiled from libphonenumber-js's metadata", () => {
  it("agrees with isValid() on international numbers from every calling code the served regions use", () => {
    const r = rng(7);
    let valid = 0;
    for (let k = 0; k < 20_000; k++) {
      const cc = ["1", "44", "49", "33", "34", "39", "31", "351", "46", "55", "61", "81", "91"][Math.floor(r() * 13)];
      const len = 7 + Math.floor(r() * 7);
      let nn = String(1 + Math.floor(r() * 9));
      while (nn.length < len) nn += String(Math.floor(r() * 10));
      const expected = !!parsePhoneNumberFromString(`+${cc}${nn}`)?.isValid();
      if (expected) valid++;
      assert.equal(validPhone(cc + nn, true, []), expected, `+${cc} ${nn}`);
    }
    assert.ok(valid > 1000, `${valid} valid numbers among those drawn`);
  });

  it("agrees with isValid() on national numbers written with their trunk prefix", () => {
    const r = rng(11);
    for (const region of ["US", "GB", "DE", "FR", "ES", "IT", "NL", "BR", "SE", "PT"]) {
      let valid = 0;
      for (let k = 0; k < 3000; k++) {
        const len = 8 + Math.floor(r() * 5);
        let d = ["US", "ES", "IT", "BR", "PT"].includes(region) ? "" : "0";
        d += String(1 + Math.floor(r() * 9));
        while (d.length < len) d += String(Math.floor(r() * 10));
        const expected = !!parsePhoneNumberFromString(d, region as CountryCode)?.isValid();
        if (expected) valid++;
        assert.equal(validPhone(d, false, [region]), expected, `${region} ${d}`);
      }
      assert.ok(valid > 50, `${region}: ${valid} valid numbers among those drawn`);
    }
  });

  it("refuses a national number written without the trunk 0 where the region always writes it", () => {
    assert.equal(validPhone("02079460018", false, ["GB"]), true);
    assert.equal(validPhone("2079460018", false, ["GB"]), false);
    assert.equal(validPhone("2005784361", false, ["DE"]), false, "an HTTP status and a size");
  });
});
