// The risk register in the real app: add a risk by keyboard, change its likelihood from the keyboard,
// see it move on the heat map, and click the cell to filter the table.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dismissToasts, freshDatabase, goTo, noDialog, openApp, screenshot, screenshots, startDriver, type } from "./harness.mjs";

const TITLE = "Search index rebuild overruns the deploy window";

/** The count shown in a heat-map cell, 0 when empty. */
async function cellCount(browser, likelihood, impact) {
  const text = await (await browser.$(`[data-cell="${likelihood}-${impact}"] .count`)).getText();
  return Number(text || 0);
}

/** The titles of the table's rows, read in one step in the page: the table may load again between
 * finding its rows and reading each, when an action has just changed it. */
async function rowTitles(browser) {
  return browser.execute(() => [...document.querySelectorAll("tr[data-risk]")].map((row) => row.getAttribute("data-risk")));
}

test("risks: add by keyboard, rate from the keyboard, heat map moves and filters", async () => {
  const driver = await startDriver(freshDatabase(), 4504);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 5000 });
    await noDialog(browser);
    await goTo(browser, "3", "Risks");
    await (await browser.$("tr[data-risk]")).waitForDisplayed({ timeout: 5000 });
    const before = await cellCount(browser, 3, 3);

    // N opens the form with the title focused; Enter adds it with the default 3 × 3 rating.
    await browser.keys("n");
    const title = await browser.$("#risk-title");
    await title.waitForDisplayed({ timeout: 5000 });
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.id)) === "risk-title", {
      timeout: 5000,
      timeoutMsg: "the title field has the focus",
    });
    // WebKitWebDriver drops a repeated letter from a key sequence; setValue types the text reliably.
    await title.setValue(TITLE);
    await browser.keys("Enter");
    await noDialog(browser);
    await browser.pause(500);
    await screenshot(browser, "risk-added");
    const row = await browser.$(`tr[data-risk="${TITLE}"]`);
    await row.waitForDisplayed({ timeout: 5000 });
    assert.equal(await (await row.$("[data-score]")).getAttribute("data-score"), "9", "3 × 3 scores 9");
    await browser.waitUntil(async () => (await cellCount(browser, 3, 3)) === before + 1, {
      timeout: 5000,
      timeoutMsg: "the heat map counts the new risk in its cell",
    });

    // With the row focused, L then 5 sets its likelihood: the risk moves from 3 × 3 to 5 × 3.
    const before53 = await cellCount(browser, 5, 3);
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.getAttribute("data-risk"))) === TITLE, {
      timeout: 5000,
      timeoutMsg: "the new risk's row has the focus",
    });
    await browser.keys("l");
    await browser.keys("5");
    await browser.waitUntil(async () => (await (await (await browser.$(`tr[data-risk="${TITLE}"]`)).$("[data-score]")).getAttribute("data-score")) === "15", {
      timeout: 5000,
      timeoutMsg: "the score follows the likelihood",
    });
    assert.equal(await cellCount(browser, 3, 3), before, "it left the 3 × 3 cell");
    assert.equal(await cellCount(browser, 5, 3), before53 + 1, "and arrived in the 5 × 3 cell");
    assert.match(await (await browser.$(`tr[data-risk="${TITLE}"] .mitigation`)).getText(), /blocks gate/i, "15 without a mitigation is flagged");

    // Clicking the cell filters the table to its risks; clicking it again clears the filter.
    const all = (await rowTitles(browser)).length;
    await (await browser.$('[data-cell="5-3"]')).click();
    await browser.waitUntil(async () => (await rowTitles(browser)).length === before53 + 1, { timeout: 5000, timeoutMsg: "the table shows the cell's risks" });
    assert.ok((await rowTitles(browser)).includes(TITLE));
    const scores = await browser.$$("tr[data-risk] [data-score]").map((b) => b.getAttribute("data-score"));
    assert.ok(scores.every((s) => s === "15"), `only 5 × 3 risks are listed: ${scores}`);
    await (await browser.$('[data-cell="5-3"]')).click();
    await browser.waitUntil(async () => (await rowTitles(browser)).length === all, { timeout: 5000 });

    // The register of Atlas 2.5.0 with its git suggestions, for the README.
    const scope = await browser.$("select[aria-label=Release]");
    await scope.selectByVisibleText("2.5.0 · Lupine");
    await (await browser.$(".suggestion")).waitForDisplayed({ timeout: 10000 });
    await dismissToasts(browser);
    await browser.execute(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await browser.pause(400);
    await screenshot(browser, "risks", screenshots);

    // Accepting a suggestion opens it prefilled; saved, it joins the register and is not suggested again.
    const migrations = await browser.$('.suggestion[data-kind="migrations"]');
    const suggested = await (await migrations.$("strong")).getText();
    await (await migrations.$("button*=Add to register")).click();
    await (await browser.$(".dialog-title=Add the suggested risk")).waitForDisplayed({ timeout: 5000 });
    assert.equal(await (await browser.$("#risk-title")).getValue(), suggested, "the form is prefilled");
    await (await browser.$("button=Add to register")).click();
    await noDialog(browser);
    await (await browser.$(`tr[data-risk="${suggested}"]`)).waitForDisplayed({ timeout: 5000 });
    await browser.waitUntil(async () => !(await (await browser.$('.suggestion[data-kind="migrations"]')).isExisting()), {
      timeout: 10000,
      timeoutMsg: "an accepted suggestion is no longer offered",
    });

    // Reopening the risk shows its history.
    const reopened = await browser.$(`tr[data-risk="${TITLE}"]`);
    await browser.execute((el) => el.focus(), reopened);
    await browser.keys("Enter");
    await (await browser.$("summary*=History")).waitForDisplayed({ timeout: 5000 });
    await (await browser.$("summary*=History")).click();
    assert.match(await (await browser.$(".history")).getText(), /likelihood 3 → 5/, "the history says what changed");
    await screenshot(browser, "risk-dialog");
    await browser.keys("Escape");
    await noDialog(browser);
  } finally {
    await browser?.deleteSession();
    driver.stop();
  }
});
