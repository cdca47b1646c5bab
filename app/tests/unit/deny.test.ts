import { describe, expect, test } from "vitest";
import { canonicalDeny, deniedAmong, denyChange } from "../../src/deny";

describe("never share (deny provisions)", () => {
  test("categories in the chain's order, once each", () => {
    expect(canonicalDeny(["MentalHealth", "Laboratory", "MentalHealth", "PatientSummary"])).toEqual(["PatientSummary", "Laboratory", "MentalHealth"]);
    expect(canonicalDeny([])).toEqual([]);
  });

  test("saving the same set is refused before signing, in any order", () => {
    expect(denyChange(["MentalHealth", "Laboratory"], ["Laboratory", "MentalHealth"])).toEqual({ ok: false, reason: "unchanged" });
    expect(denyChange([], [])).toEqual({ ok: false, reason: "unchanged" });
  });

  test("a new set says what is added and removed", () => {
    expect(denyChange(["Laboratory"], ["MentalHealth", "Laboratory"])).toEqual({
      ok: true,
      categories: ["Laboratory", "MentalHealth"],
      clears: false,
      added: ["MentalHealth"],
      removed: [],
    });
  });

  test("an empty set clears the list (shared by consent again)", () => {
    expect(denyChange(["MentalHealth"], [])).toEqual({ ok: true, categories: [], clears: true, added: [], removed: ["MentalHealth"] });
  });

  test("the categories of a consent that never share overrides", () => {
    expect(deniedAmong(["Laboratory", "MentalHealth", "Imaging"], ["MentalHealth", "Imaging"])).toEqual(["Imaging", "MentalHealth"]);
    expect(deniedAmong(["Laboratory"], ["MentalHealth"])).toEqual([]);
    expect(deniedAmong([], ["MentalHealth"])).toEqual([]);
  });
});
