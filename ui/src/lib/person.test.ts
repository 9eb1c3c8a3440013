import { describe, expect, it } from "vitest";
import { person, personName } from "./person";

describe("person", () => {
  it("splits a recorded person into name and email", () => {
    expect(person("Priya Raman <priya@example.com>")).toEqual({ name: "Priya Raman", email: "priya@example.com" });
    expect(person("priya")).toEqual({ name: "priya", email: "" });
    expect(person("<odd@example.com>")).toEqual({ name: "<odd@example.com>", email: "" });
    expect(personName("Tom Becker <tom@example.com>")).toBe("Tom Becker");
  });
});
