// The timeline in the real app: add a milestone by keyboard, move it two days with the arrow keys, see
// the slip, undo; create a freeze window over a deploy window and see the conflict flagged.
import assert from "node:assert/strict";
import { test } from "node:test";
import { freshDatabase, localDate, noDialog, openApp, screenshot, screenshots, setDate, startDriver, type } from "./harness.mjs";

async function slipOf(browser, id) {
  return Number(await (await browser.$(`[data-milestone="${id}"]`)).getAttribute("data-slip"));
}

test("timeline: keyboard milestone moves with undo, and freeze conflicts", async () => {
  const driver = await startDriver(freshDatabase(), 4484);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    const timeline = await browser.$("[data-testid=timeline]");
    await timeline.waitForDisplayed({ timeout: 5000 });
    await noDialog(browser);

    // The sample shows slippage already: Atlas 2.5.0's code freeze moved two days.
    const slipped = await browser.$$("[data-milestone][data-slip='2']");
    assert.ok(slipped.length >= 1, "a slipped milestone is marked with its slip");

    // Focus Beacon's first release and add a milestone with M; the dialog starts on today.
    const lupine = await browser.$("button.release-link*=Lupine");
    const releaseId = await lupine.getAttribute("data-release");
    await browser.execute((el) => el.focus(), lupine);
    await browser.keys("m");
    await type(browser, "#milestone-name", "Security review");
    await browser.keys("Enter");
    await noDialog(browser);
    const marker = await browser.$(`[data-lane="${releaseId}"] [aria-label*="Security review"]`);
    await marker.waitForExist({ timeout: 5000 });
    const id = await marker.getAttribute("data-milestone");
    assert.equal(await slipOf(browser, id), 0, "a new milestone has not moved");

    // Two days later with the arrow keys: each press is one saved change.
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.getAttribute("data-milestone"))) === id, { timeout: 5000 });
    await browser.keys("ArrowRight");
    await browser.waitUntil(async () => (await slipOf(browser, id)) === 1, { timeout: 5000 });
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.getAttribute("data-milestone"))) === id, { timeout: 5000 });
    await browser.keys("ArrowRight");
    await browser.waitUntil(async () => (await slipOf(browser, id)) === 2, { timeout: 5000, timeoutMsg: "the slip shows +2 days" });
    const label = await (await browser.$(`[data-milestone="${id}"]`)).getAttribute("aria-label");
    assert.match(label, /moved \+2d/, "the slip is announced");

    // Ctrl+Z undoes the last change, then the one before.
    await browser.keys(["Control", "z"]);
    await browser.waitUntil(async () => (await slipOf(browser, id)) === 1, { timeout: 5000 });
    await browser.keys(["Control", "z"]);
    await browser.waitUntil(async () => (await slipOf(browser, id)) === 0, { timeout: 5000, timeoutMsg: "undo moved it back" });

    // A freeze window over Atlas 2.5.0's deploy window (nine days out in the sample).
    const atlasConflicts = async () => browser.$$(`.label:has([data-release="${releaseId}"]) [data-conflict]`).length;
    assert.equal(await atlasConflicts(), 0, "no conflict before the window exists");
    await browser.keys("f");
    await type(browser, "#freeze-name", "Payments audit");
    await setDate(browser, "#start_date", localDate(8));
    await setDate(browser, "#end_date", localDate(10));
    await type(browser, "#freeze-reason", "Auditors on site");
    await (await browser.$("button=Add window")).click();
    await (await browser.$("li*=Payments audit")).waitForDisplayed({ timeout: 5000 });
    await browser.keys("Escape");
    await noDialog(browser);
    await browser.waitUntil(async () => (await atlasConflicts()) === 1, { timeout: 5000, timeoutMsg: "the conflict is flagged" });
    const warning = await browser.$(`.label:has([data-release="${releaseId}"]) [data-conflict]`);
    assert.match(await warning.getAttribute("title"), /Payments audit: Auditors on site/, "it names the window and its reason");

    await browser.pause(8500);
    await screenshot(browser, "timeline", screenshots);
  } finally {
    await browser?.deleteSession();
    driver.stop();
  }
});
