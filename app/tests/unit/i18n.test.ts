import { describe, expect, test } from "vitest";
import { en, format, initialLang, ko, LANGS, placeholders, type Key } from "../../src/i18n";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

describe("every string in both languages", () => {
  test("the same keys in English and Korean", () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  for (const [lang, strings] of Object.entries(LANGS)) {
    test(`${lang}: no empty string`, () => {
      const empty = Object.entries(strings).filter(([, v]) => v.trim() === "");
      expect(empty).toEqual([]);
    });
  }

  test("the same {placeholders} in both languages", () => {
    const mismatched = (Object.keys(en) as Key[]).filter(
      (k) => placeholders(en[k]).join() !== placeholders(ko[k]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  test("Korean strings are translated (not English left in place)", () => {
    const same = (Object.keys(en) as Key[]).filter(
      (k) => en[k] === ko[k] && /[a-z]{4,}/.test(en[k]) && !["app.title", "lang.en", "lang.ko"].includes(k),
    );
    expect(same).toEqual([]);
  });

  test("every key the source names exists", () => {
    // Keys written literally in the source (t("…"), template("…"), title: "…"), and the
    // families built from a prefix and a value of the chain (category., purpose., kind., …).
    const dir = join(import.meta.dirname, "../../src");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const used = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      for (const m of text.matchAll(/"((?:app|nav|lang|status|settings|verify|record|cert|kind|category|purpose|patient|basis|log|rx|institution|error|consents|keys|hospitals|acting|allowance|editor|consent|list|tx)\.[A-Za-z.-]+)"/g)) {
        used.add(m[1]);
      }
    }
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(50);
  });
});

describe("formatting", () => {
  test("placeholders are filled, unknown ones left visible", () => {
    expect(format("{a} and {b}", { a: 1 })).toBe("1 and {b}");
    expect(placeholders("{b} {a} {b}")).toEqual(["a", "b", "b"]);
  });

  test("the first language: the saved choice, else the browser's, else English", () => {
    expect(initialLang("ko", ["en-US"])).toBe("ko");
    expect(initialLang("en", ["ko-KR"])).toBe("en");
    expect(initialLang(null, ["ko-KR", "en"])).toBe("ko");
    expect(initialLang("fr", ["fr-FR"])).toBe("en");
  });
});
