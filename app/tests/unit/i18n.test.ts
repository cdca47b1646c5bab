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
    // Keys written literally in the source (t("…"), template("…"), title: "…") of every family
    // the strings have (app., card., gateway., staff., tx., …: the first part of each key, so a
    // new family is covered as soon as its first string is), and the prefixes of keys built from
    // a value (`category.${c}`, `staff.reason.${r}`, …): some key must start with each.
    const families = [...new Set(Object.keys(en).map((k) => k.split(".")[0]))].join("|");
    const literal = new RegExp(`"((?:${families})\\.[A-Za-z0-9.-]+)"`, "g");
    const built = new RegExp(`\`((?:${families})\\.[A-Za-z0-9.-]*)\\$\\{`, "g");
    const dir = join(import.meta.dirname, "../../src");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && f !== "i18n.ts");
    const used = new Set<string>();
    const prefixes = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      for (const m of text.matchAll(literal)) used.add(m[1]);
      for (const m of text.matchAll(built)) prefixes.add(m[1]);
    }
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
    const noKey = [...prefixes].filter((p) => !Object.keys(en).some((k) => k.startsWith(p)));
    expect(noKey).toEqual([]);
    // Every family is named in the source, among them those of the later screens.
    for (const family of ["card", "gateway", "staff", "hospital", "exchange", "tx", "deny", "shown"]) {
      expect([...used].some((k) => k.startsWith(`${family}.`)), family).toBe(true);
    }
    expect(used.size).toBeGreaterThan(400);
    expect(prefixes.size).toBeGreaterThan(5);
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
